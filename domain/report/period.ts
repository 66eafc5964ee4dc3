/**
 * Report periods in the team's time zone: presets (today, this week, this month, last month) or
 * an inclusive custom range of dates, turned into instants [fromMs, toMs) and the list of dates.
 *
 * @module
 */

export const PERIOD_PRESETS = ["today", "week", "month", "last_month", "custom"] as const;
export type PeriodPreset = typeof PERIOD_PRESETS[number];

/** A resolved period: local dates `from`…`to` inclusive, and their instants. */
export interface Period {
  preset: PeriodPreset;
  /** YYYY-MM-DD, inclusive. */
  from: string;
  /** YYYY-MM-DD, inclusive. */
  to: string;
  fromMs: number;
  /** Exclusive: the start of the day after `to`. */
  toMs: number;
  timeZone: string;
}

/** The longest custom range a report covers. */
export const MAX_PERIOD_DAYS = 366;

/** The local date of an instant. */
export function localDateOf(ms: number, timeZone: string): string {
  return Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timeZone).toPlainDate()
    .toString();
}

/** The instant local midnight of `date` begins. */
export function startOfDay(date: string, timeZone: string): number {
  return Temporal.PlainDate.from(date).toZonedDateTime(timeZone).epochMilliseconds;
}

/**
 * The period of a preset as of `now`; `custom` takes `from` and `to` (YYYY-MM-DD). Throws a
 * RangeError for a reversed, malformed or over-long range.
 */
export function resolvePeriod(
  preset: PeriodPreset,
  now: number,
  timeZone: string,
  custom: { from?: string; to?: string } = {},
): Period {
  const today = Temporal.PlainDate.from(localDateOf(now, timeZone));
  let from: Temporal.PlainDate;
  let to: Temporal.PlainDate;
  switch (preset) {
    case "today":
      from = to = today;
      break;
    case "week":
      // Weeks start on Monday (ISO), as Japanese business calendars do.
      from = today.subtract({ days: today.dayOfWeek - 1 });
      to = from.add({ days: 6 });
      break;
    case "month":
      from = today.with({ day: 1 });
      to = from.add({ months: 1 }).subtract({ days: 1 });
      break;
    case "last_month":
      from = today.with({ day: 1 }).subtract({ months: 1 });
      to = today.with({ day: 1 }).subtract({ days: 1 });
      break;
    case "custom":
      from = Temporal.PlainDate.from(custom.from ?? today.toString(), { overflow: "reject" });
      to = Temporal.PlainDate.from(custom.to ?? from.toString(), { overflow: "reject" });
      break;
  }
  const days = from.until(to, { largestUnit: "days" }).days + 1;
  if (days < 1) throw new RangeError("The period ends before it starts");
  if (days > MAX_PERIOD_DAYS) {
    throw new RangeError(`A period spans at most ${MAX_PERIOD_DAYS} days`);
  }
  return {
    preset,
    from: from.toString(),
    to: to.toString(),
    fromMs: startOfDay(from.toString(), timeZone),
    toMs: startOfDay(to.add({ days: 1 }).toString(), timeZone),
    timeZone,
  };
}

/** Every local date of the period, in order (so an empty day still has a row). */
export function periodDates(period: Period): string[] {
  const dates: string[] = [];
  const end = Temporal.PlainDate.from(period.to);
  for (let d = Temporal.PlainDate.from(period.from); Temporal.PlainDate.compare(d, end) <= 0;) {
    dates.push(d.toString());
    d = d.add({ days: 1 });
  }
  return dates;
}

/**
 * A function from instant to local "YYYY-MM-DD" for instants in the period, without Temporal per
 * call: the day boundaries are computed once and looked up by binary search.
 */
export function dayBucketer(period: Period): (ms: number) => number {
  const dates = periodDates(period);
  const starts = dates.map((d) => startOfDay(d, period.timeZone));
  return (ms) => {
    let lo = 0;
    let hi = starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] <= ms) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
}

/** Local weekday (1 = Monday … 7 = Sunday) and hour of an instant. */
export function weekdayHour(ms: number, timeZone: string): { weekday: number; hour: number } {
  const z = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timeZone);
  return { weekday: z.dayOfWeek, hour: z.hour };
}
