/**
 * When scheduled report mail goes out and which period it covers, in the team's time zone. A
 * daily report goes out every day at the chosen hour and covers yesterday; a weekly one on
 * Mondays and covers the week before (Monday–Sunday); a monthly one on the 1st and covers the
 * month before. Wall-clock hours follow the zone's offset (a DST gap moves the hour forward). Pure.
 */

export const REPORT_FREQUENCIES = ["daily", "weekly", "monthly"] as const;
export type ReportFrequency = typeof REPORT_FREQUENCIES[number];

export function isReportFrequency(s: unknown): s is ReportFrequency {
  return typeof s === "string" && (REPORT_FREQUENCIES as readonly string[]).includes(s);
}

function sendDay(frequency: ReportFrequency, date: Temporal.PlainDate): boolean {
  return frequency === "daily" || (frequency === "weekly" ? date.dayOfWeek === 1 : date.day === 1);
}

function at(date: Temporal.PlainDate, hour: number, timeZone: string): number {
  return date.toZonedDateTime({ timeZone, plainTime: new Temporal.PlainTime(hour) })
    .epochMilliseconds;
}

/** The first send instant strictly after `afterMs`. */
export function nextSendAt(
  frequency: ReportFrequency,
  hour: number,
  afterMs: number,
  timeZone: string,
): number {
  let date = Temporal.Instant.fromEpochMilliseconds(afterMs).toZonedDateTimeISO(timeZone)
    .toPlainDate();
  // At most a month and a day ahead.
  for (let i = 0; i < 40; i++, date = date.add({ days: 1 })) {
    if (!sendDay(frequency, date)) continue;
    const ms = at(date, hour, timeZone);
    if (ms > afterMs) return ms;
  }
  throw new Error("nextSendAt: no send day found");
}

/** The period (dates, both inclusive) a mail sent at `sendAtMs` reports on. */
export function periodBefore(
  frequency: ReportFrequency,
  sendAtMs: number,
  timeZone: string,
): { from: string; to: string } {
  const day = Temporal.Instant.fromEpochMilliseconds(sendAtMs).toZonedDateTimeISO(timeZone)
    .toPlainDate();
  let from: Temporal.PlainDate;
  let to: Temporal.PlainDate;
  switch (frequency) {
    case "daily":
      from = to = day.subtract({ days: 1 });
      break;
    case "weekly": {
      const monday = day.subtract({ days: day.dayOfWeek - 1 });
      from = monday.subtract({ days: 7 });
      to = monday.subtract({ days: 1 });
      break;
    }
    case "monthly": {
      const first = day.with({ day: 1 });
      from = first.subtract({ months: 1 });
      to = first.subtract({ days: 1 });
      break;
    }
  }
  return { from: from.toString(), to: to.toString() };
}
