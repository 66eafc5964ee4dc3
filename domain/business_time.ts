/**
 * Business-time arithmetic for SLAs. Pure: the clock is always an argument, in epoch ms.
 *
 * Each local calendar day's intervals are turned into instants with Temporal
 * (`PlainDateTime#toZonedDateTime(tz, { disambiguation: "compatible" })`) and only then measured,
 * so a business minute is a real elapsed minute inside an open interval:
 * - 08:00–18:00 on a day whose 02:00 is skipped is still 10 real hours;
 * - 01:00–04:00 on New York's spring-forward day is 2 real hours, on fall-back day 4;
 * - a wall time inside a DST gap moves forward by the gap ("compatible"), a repeated wall time
 *   takes its first occurrence, so an interval can shrink and, in the rare case that both ends
 *   fall around a gap (02:45–03:10 in Berlin in March), be empty.
 *
 * The work is done day by day, never minute by minute. A schedule with no weekly hours, or closed
 * for ten consecutive years from the starting point, "never opens": the functions that look for
 * a future instant then return null rather than loop or throw.
 *
 * @module
 */

import { type CompiledSchedule, compileSchedule, type Schedule } from "./schedule.ts";

/** An open stretch of time in UTC epoch ms, `start` inclusive, `end` exclusive. */
export interface OpenInterval {
  start: number;
  end: number;
}

const MINUTE_MS = 60_000;
const DAY_MINUTES = 1440;
/** Closed for longer than this means closed for good: no real team takes a ten-year holiday. */
const MAX_CLOSED_DAYS = 3653;

/** The instant `minutes` business minutes after `fromMs`, or null if the schedule never opens. */
export function addBusinessMinutes(
  schedule: Schedule,
  fromMs: number,
  minutes: number,
): number | null {
  if (!Number.isFinite(minutes) || minutes < 0) {
    throw new RangeError(`Cannot add ${minutes} business minutes: need a finite number >= 0`);
  }
  const compiled = compileSchedule(schedule);
  let remaining = Math.round(minutes * MINUTE_MS);
  // Zero minutes is due at once, even outside business hours or on a schedule that never opens.
  if (remaining === 0) return fromMs;
  for (const span of openSpans(compiled, fromMs, Infinity)) {
    const length = span.end - span.start;
    // `<=` makes a deadline that lands on a closing time stay there rather than jump to the
    // next opening: the earliest instant with enough business time behind it.
    if (remaining <= length) return span.start + remaining;
    remaining -= length;
  }
  return null;
}

/** Whole business minutes in [fromMs, toMs), truncated toward zero; negative when toMs < fromMs. */
export function businessMinutesBetween(schedule: Schedule, fromMs: number, toMs: number): number {
  const ms = businessMillisecondsBetween(schedule, fromMs, toMs);
  const whole = Math.floor(Math.abs(ms) / MINUTE_MS);
  // Negative means "overdue by": antisymmetric so that (due, now) and (now, due) mirror each other.
  return ms < 0 && whole > 0 ? -whole : whole;
}

/** Exact business milliseconds in [fromMs, toMs); negative when toMs < fromMs. */
export function businessMillisecondsBetween(
  schedule: Schedule,
  fromMs: number,
  toMs: number,
): number {
  // Exact and additive, unlike whole minutes: an SLA clock paused and resumed many times should
  // sum these, so rounding does not drift.
  if (toMs < fromMs) return -businessMillisecondsBetween(schedule, toMs, fromMs);
  let total = 0;
  for (const span of openSpans(compileSchedule(schedule), fromMs, toMs)) {
    if (span.start >= toMs) break;
    total += Math.min(span.end, toMs) - span.start;
  }
  return total;
}

/** The first open instant at or after `atMs` (`atMs` itself when open), or null if never. */
export function nextOpening(schedule: Schedule, atMs: number): number | null {
  for (const span of openSpans(compileSchedule(schedule), atMs, Infinity)) return span.start;
  return null;
}

/** Whether the schedule is open at `atMs`. */
export function isOpen(schedule: Schedule, atMs: number): boolean {
  return nextOpening(schedule, atMs) === atMs;
}

/** Open intervals within [fromMs, toMs), clipped, sorted, merged when they touch or overlap. */
export function openIntervals(schedule: Schedule, fromMs: number, toMs: number): OpenInterval[] {
  const result: OpenInterval[] = [];
  if (toMs <= fromMs) return result;
  for (const span of openSpans(compileSchedule(schedule), fromMs, toMs)) {
    if (span.start >= toMs) break;
    const end = Math.min(span.end, toMs);
    const last = result.at(-1);
    if (last && last.end === span.start) last.end = end;
    else result.push({ start: span.start, end });
  }
  return result;
}

/**
 * Yields open spans from `fromMs` on, in order and non-overlapping (touching pieces possible),
 * walking local days from the day before `fromMs` (whose overnight shift may still run) up to
 * the local date of `untilMs`.
 */
function* openSpans(
  schedule: CompiledSchedule,
  fromMs: number,
  untilMs: number,
): Generator<OpenInterval> {
  if (!schedule.hasHours) return;
  const { timeZone } = schedule;
  let date = localDate(timeZone, fromMs).subtract({ days: 1 });
  const lastDate = Number.isFinite(untilMs) ? localDate(timeZone, untilMs) : null;
  let current: OpenInterval | null = null;
  let closedDays = 0;
  while (lastDate === null || Temporal.PlainDate.compare(date, lastDate) <= 0) {
    const day = dayIntervals(schedule, date);
    closedDays = day.length > 0 ? 0 : closedDays + 1;
    for (const interval of day) {
      if (interval.end <= fromMs) continue;
      const start = Math.max(interval.start, fromMs);
      if (current && start <= current.end) {
        current.end = Math.max(current.end, interval.end);
      } else {
        if (current) yield current;
        current = { start, end: interval.end };
      }
    }
    date = date.add({ days: 1 });
    if (current) {
      // Nothing from a later day starts before that day's first instant, so time before it is
      // final. Handing it out now, split at midnight if need be, keeps a schedule that is open
      // around the clock from growing one span forever; openIntervals re-joins the pieces.
      const midnight = date.toZonedDateTime(timeZone).epochMilliseconds;
      if (current.end <= midnight) {
        yield current;
        current = null;
      } else if (current.start < midnight) {
        yield { start: current.start, end: midnight };
        current = { start: midnight, end: current.end };
      }
    }
    if (!current && closedDays > MAX_CLOSED_DAYS) return;
  }
  if (current) yield current;
}

/** Intervals that start on this local date, as instants sorted by start; none on a holiday. */
function dayIntervals(schedule: CompiledSchedule, date: Temporal.PlainDate): OpenInterval[] {
  const hours = schedule.weekly[date.dayOfWeek];
  if (hours.length === 0 || schedule.isHoliday(date)) return [];
  const result: OpenInterval[] = [];
  for (const { start, end } of hours) {
    const startMs = wallTimeToMs(schedule.timeZone, date, start);
    const endMs = wallTimeToMs(schedule.timeZone, date, end);
    if (endMs > startMs) result.push({ start: startMs, end: endMs });
  }
  return result.sort((a, b) => a.start - b.start);
}

/** The instant of `minutes` past local midnight of `date` (beyond 1440 rolls into later days). */
function wallTimeToMs(timeZone: string, date: Temporal.PlainDate, minutes: number): number {
  const days = Math.floor(minutes / DAY_MINUTES);
  const ofDay = minutes % DAY_MINUTES;
  return (days > 0 ? date.add({ days }) : date)
    .toPlainDateTime({ hour: Math.floor(ofDay / 60), minute: ofDay % 60 })
    .toZonedDateTime(timeZone, { disambiguation: "compatible" })
    .epochMilliseconds;
}

function localDate(timeZone: string, ms: number): Temporal.PlainDate {
  return Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timeZone).toPlainDate();
}
