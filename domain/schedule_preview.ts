/**
 * The next days of a schedule as a person checks them: per local date in the schedule's zone,
 * the open stretches clipped to that date ("22:00–24:00" then "00:00–06:00" for a night shift),
 * so DST days, holidays and overnight shifts show exactly as business_time.ts computes them.
 */
import { openIntervals } from "./business_time.ts";
import { compileSchedule, type Schedule } from "./schedule.ts";

export interface PreviewDay {
  /** ISO date in the schedule's zone. */
  date: string;
  /** ISO weekday, 1 = Monday. */
  weekday: number;
  holiday: boolean;
  /** Local "HH:MM" pairs; an end of "24:00" means up to midnight. */
  intervals: { start: string; end: string }[];
}

/** The opening hours of `days` local dates starting with the one containing `nowMs`. */
export function openingPreview(schedule: Schedule, nowMs: number, days = 14): PreviewDay[] {
  const compiled = compileSchedule(schedule);
  const zone = schedule.timeZone;
  const first = Temporal.Instant.fromEpochMilliseconds(nowMs).toZonedDateTimeISO(zone)
    .toPlainDate();
  const result: PreviewDay[] = [];
  for (let i = 0; i < days; i++) {
    const date = first.add({ days: i });
    const start = date.toZonedDateTime(zone).epochMilliseconds;
    const end = date.add({ days: 1 }).toZonedDateTime(zone).epochMilliseconds;
    result.push({
      date: date.toString(),
      weekday: date.dayOfWeek,
      holiday: compiled.isHoliday(date),
      intervals: openIntervals(schedule, start, end).map((iv) => ({
        start: wallTime(iv.start, zone),
        end: iv.end === end ? "24:00" : wallTime(iv.end, zone),
      })),
    });
  }
  return result;
}

function wallTime(ms: number, zone: string): string {
  return Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(zone).toPlainTime()
    .toString({ smallestUnit: "minute" });
}
