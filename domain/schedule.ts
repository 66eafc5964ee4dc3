/**
 * Business hours: a weekly pattern in one IANA time zone plus holidays.
 *
 * Conventions (the arithmetic lives in `business_time.ts`):
 * - Weekdays are ISO numbers, 1 = Monday … 7 = Sunday, the same as `Temporal.PlainDate#dayOfWeek`,
 *   so no off-by-one translation sits between the data and the clock. A missing day is closed.
 * - An interval is local wall time "HH:MM"–"HH:MM". When `end <= start` it ends on the next day
 *   (an overnight shift, "22:00"–"06:00"); `start == end` is a full 24 hours. "24:00" is accepted
 *   as an end and means midnight at the end of the day.
 * - A holiday closes a whole local calendar date: no interval that *starts* on that date opens.
 *   An overnight shift that started the evening before still runs past midnight into the holiday,
 *   because the person on that shift is already working; one starting on the holiday's evening
 *   does not open at all.
 *
 * @module
 */

import rrulePkg from "rrule";
import holidayJp from "@holiday-jp/holiday_jp";
import { describeScheduleProblem, type ScheduleProblem } from "./schedule_problem.ts";

// rrule ships a UMD bundle: named imports type-check but fail at run time (stack.md §7).
const { RRule } = rrulePkg;
type RRuleInstance = InstanceType<typeof RRule>;

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** Opening hours within one day in local wall time; `end <= start` runs into the next day. */
export interface TimeInterval {
  start: string;
  end: string;
}

/** Opening intervals per ISO weekday; a missing or empty day is closed. */
export type WeeklyHours = Partial<Record<IsoWeekday, TimeInterval[]>>;

/** A closed local date, date range, or recurring date. Dates are ISO "YYYY-MM-DD". */
export type Holiday =
  | { kind: "date"; date: string; name?: string }
  /** `from` and `to` both closed (inclusive). */
  | { kind: "range"; from: string; to: string; name?: string }
  /** Every year on this month and day; Feb 29 only closes in leap years. */
  | { kind: "yearly"; month: number; day: number; name?: string }
  /**
   * An RFC 5545 RRULE value ("FREQ=YEARLY;BYMONTH=1;BYDAY=2MO") anchored at the local date
   * `start`, evaluated as floating dates (no TZID); each occurrence closes `days` dates (default 1).
   */
  | { kind: "rrule"; rrule: string; start: string; days?: number; name?: string }
  /**
   * Japan's national holidays (国民の祝日, 振替休日, 国民の休日) from `@holiday-jp/holiday_jp`,
   * kept current by updating the package instead of typing dates.
   */
  | { kind: "jp-national"; name?: string };

/** Business hours of a team or queue. */
export interface Schedule {
  /** IANA time zone, e.g. "Asia/Tokyo". */
  timeZone: string;
  weekly: WeeklyHours;
  holidays: Holiday[];
}

/** Thrown when a schedule cannot be computed with (bad zone, bad time, bad holiday). */
export class InvalidScheduleError extends Error {
  /** The problems in English, as `validateSchedule` words them. */
  readonly errors: string[];
  constructor(readonly problems: ScheduleProblem[]) {
    const errors = problems.map(describeScheduleProblem);
    super(`Invalid schedule: ${errors.join("; ")}`);
    this.name = "InvalidScheduleError";
    this.errors = errors;
  }
}

/** One interval in minutes from local midnight of the day it starts on; `end` may exceed 1440. */
export interface MinuteInterval {
  start: number;
  end: number;
}

/** A validated schedule in the shape the arithmetic needs. */
export interface CompiledSchedule {
  timeZone: string;
  /** Indexed by ISO weekday (index 0 unused), each sorted by start. */
  weekly: MinuteInterval[][];
  /** Whether any weekday has an interval at all. */
  hasHours: boolean;
  isHoliday(date: Temporal.PlainDate): boolean;
}

const DAY_MINUTES = 1440;
const DAY_MS = 86_400_000;
const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Lists human-readable problems with a schedule (empty when valid), overlaps included. */
export function validateSchedule(schedule: Schedule): string[] {
  return scheduleProblems(schedule).map(describeScheduleProblem);
}

/** Lists the problems with a schedule as data (empty when valid), overlaps included. */
export function scheduleProblems(schedule: Schedule): ScheduleProblem[] {
  return [...structuralErrors(schedule), ...overlapErrors(schedule)];
}

/** Validates and prepares a schedule; throws InvalidScheduleError on structural errors. */
export function compileSchedule(schedule: Schedule): CompiledSchedule {
  const errors = structuralErrors(schedule);
  if (errors.length > 0) throw new InvalidScheduleError(errors);
  const weekly: MinuteInterval[][] = [[]];
  for (let day = 1; day <= 7; day++) {
    const intervals = (schedule.weekly[day as IsoWeekday] ?? []).map(toMinuteInterval);
    weekly.push(intervals.sort((a, b) => a.start - b.start));
  }
  return {
    timeZone: schedule.timeZone,
    weekly,
    hasHours: weekly.some((day) => day.length > 0),
    isHoliday: holidayMatcher(schedule.holidays),
  };
}

/** Parses all-day VEVENTs (DTSTART;VALUE=DATE, exclusive DTEND or DURATION, RRULE) into holidays. */
export function parseIcsHolidays(icsText: string): Holiday[] {
  // RFC 5545 §3.1: a line break followed by one space or tab continues the previous line.
  const lines = icsText.replace(/\r\n?/g, "\n").replace(/\n[ \t]/g, "").split("\n");
  const holidays: Holiday[] = [];
  let event: Map<string, string> | null = null;
  let nested = 0;
  for (const raw of lines) {
    const line = raw.trimEnd();
    const upper = line.toUpperCase();
    if (upper === "BEGIN:VEVENT") {
      event = new Map();
      nested = 0;
    } else if (event && upper.startsWith("BEGIN:")) {
      nested++; // a VALARM inside the event: its properties are not the event's
    } else if (event && upper.startsWith("END:") && nested > 0) {
      nested--;
    } else if (upper === "END:VEVENT") {
      const holiday = event && eventToHoliday(event);
      if (holiday) holidays.push(holiday);
      event = null;
    } else if (event && nested === 0) {
      const match = /^([A-Za-z0-9-]+)(?:;[^:]*)?:(.*)$/.exec(line);
      const name = match?.[1].toUpperCase();
      if (name && !event.has(name)) event.set(name, match![2]);
    }
  }
  return holidays;
}

function eventToHoliday(event: Map<string, string>): Holiday | null {
  if (event.get("STATUS")?.toUpperCase() === "CANCELLED") return null;
  const start = icsDate(event.get("DTSTART"));
  // Timed events (a DTSTART with a time) are meetings, not days off.
  if (!start) return null;
  let days = 1;
  const end = icsDate(event.get("DTEND"));
  const duration = /^P(\d+)([DW])$/i.exec(event.get("DURATION") ?? "");
  if (end) days = start.until(end, { largestUnit: "days" }).days;
  else if (duration) days = Number(duration[1]) * (duration[2].toUpperCase() === "W" ? 7 : 1);
  days = Math.max(1, days);
  const summary = event.get("SUMMARY");
  const name = summary === undefined ? {} : { name: unescapeIcsText(summary) };
  const rule = event.get("RRULE");
  if (rule !== undefined) {
    const holiday: Holiday = { kind: "rrule", rrule: rule, start: start.toString(), days, ...name };
    return compileRRule(holiday) ? holiday : null;
  }
  if (days === 1) return { kind: "date", date: start.toString(), ...name };
  const to = start.add({ days: days - 1 }).toString();
  return { kind: "range", from: start.toString(), to, ...name };
}

function icsDate(value: string | undefined): Temporal.PlainDate | null {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(value?.trim() ?? "");
  if (!match) return null;
  try {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    return Temporal.PlainDate.from({ year, month, day }, { overflow: "reject" });
  } catch {
    return null;
  }
}

function unescapeIcsText(text: string): string {
  return text.replace(/\\([nN\\;,])/g, (_, c: string) => (c === "n" || c === "N" ? "\n" : c));
}

function structuralErrors(schedule: Schedule): ScheduleProblem[] {
  const errors: ScheduleProblem[] = [];
  if (!isTimeZone(schedule.timeZone)) {
    errors.push({ code: "unknown-time-zone", params: { zone: String(schedule.timeZone) } });
  }
  for (const key of Object.keys(schedule.weekly ?? {})) {
    if (!/^[1-7]$/.test(key)) errors.push({ code: "unknown-weekday", params: { key } });
  }
  for (let weekday = 1; weekday <= 7; weekday++) {
    const intervals = schedule.weekly?.[weekday as IsoWeekday];
    if (intervals === undefined) continue;
    if (!Array.isArray(intervals)) {
      errors.push({ code: "hours-not-a-list", params: { weekday } });
      continue;
    }
    for (const interval of intervals) {
      if (parseTime(interval?.start, false) === null) {
        errors.push({ code: "bad-start", params: { weekday, value: String(interval?.start) } });
      }
      if (parseTime(interval?.end, true) === null) {
        errors.push({ code: "bad-end", params: { weekday, value: String(interval?.end) } });
      }
    }
  }
  if (!Array.isArray(schedule.holidays)) {
    errors.push({ code: "holidays-not-a-list", params: {} });
    return errors;
  }
  schedule.holidays.forEach((holiday, i) => {
    const problem = holidayError(holiday, {
      n: i + 1,
      name: typeof holiday?.name === "string" ? holiday.name : "",
    });
    if (problem) errors.push(problem);
  });
  return errors;
}

function isTimeZone(timeZone: unknown): boolean {
  if (typeof timeZone !== "string" || timeZone === "") return false;
  try {
    Temporal.PlainDate.from("2026-01-01").toZonedDateTime(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Minutes since midnight, or null; "24:00" is only meaningful as an end. */
function parseTime(text: unknown, isEnd: boolean): number | null {
  if (typeof text !== "string") return null;
  if (isEnd && text === "24:00") return DAY_MINUTES;
  const match = HH_MM.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

function toMinuteInterval(interval: TimeInterval): MinuteInterval {
  const start = parseTime(interval.start, false)!;
  const end = parseTime(interval.end, true)!;
  return { start, end: end > start ? end : end + DAY_MINUTES };
}

function overlapErrors(schedule: Schedule): ScheduleProblem[] {
  // Place every valid interval on a week-long minute line, so an overnight shift on Monday
  // can collide with Tuesday morning and Sunday night with Monday morning.
  const placed: Array<{ start: number; end: number; weekday: number; interval: TimeInterval }> = [];
  for (let weekday = 1; weekday <= 7; weekday++) {
    const intervals = schedule.weekly?.[weekday as IsoWeekday];
    if (!Array.isArray(intervals)) continue;
    for (const interval of intervals) {
      const start = parseTime(interval?.start, false);
      const end = parseTime(interval?.end, true);
      if (start === null || end === null) continue;
      const minutes = toMinuteInterval(interval);
      const offset = (weekday - 1) * DAY_MINUTES;
      placed.push({
        start: offset + minutes.start,
        end: offset + minutes.end,
        weekday,
        interval,
      });
    }
  }
  const week = 7 * DAY_MINUTES;
  const errors: ScheduleProblem[] = [];
  for (let i = 0; i < placed.length; i++) {
    for (let j = i + 1; j < placed.length; j++) {
      const [a, b] = [placed[i], placed[j]];
      const overlaps = [-week, 0, week].some((shift) =>
        a.start < b.end + shift && b.start + shift < a.end
      );
      if (!overlaps) continue;
      errors.push({
        code: "overlap",
        params: {
          weekday: a.weekday,
          start: a.interval.start,
          end: a.interval.end,
          otherWeekday: b.weekday,
          otherStart: b.interval.start,
          otherEnd: b.interval.end,
        },
      });
    }
  }
  return errors;
}

type HolidayAt = { n: number; name: string };

function holidayError(holiday: Holiday, at: HolidayAt): ScheduleProblem | null {
  switch (holiday?.kind) {
    case "date":
      return dateError(holiday.date, at);
    case "range": {
      const problem = dateError(holiday.from, at) ?? dateError(holiday.to, at);
      if (problem) return problem;
      return holiday.from > holiday.to
        ? { code: "holiday-reversed-range", params: { ...at, from: holiday.from, to: holiday.to } }
        : null;
    }
    case "yearly": {
      const { month, day } = holiday;
      if (!Number.isInteger(month) || !Number.isInteger(day)) {
        return { code: "holiday-yearly-not-integers", params: at };
      }
      try {
        // 2024 is a leap year, so Feb 29 is accepted as a (leap-years-only) holiday.
        Temporal.PlainDate.from({ year: 2024, month, day }, { overflow: "reject" });
        return null;
      } catch {
        return { code: "holiday-not-a-calendar-day", params: { ...at, month, day } };
      }
    }
    case "rrule": {
      const problem = dateError(holiday.start, at);
      if (problem) return problem;
      const { days = 1 } = holiday;
      if (!Number.isInteger(days) || days < 1 || days > 366) {
        return { code: "holiday-bad-days", params: at };
      }
      return compileRRule(holiday)
        ? null
        : { code: "holiday-bad-rrule", params: { ...at, rrule: String(holiday.rrule) } };
    }
    case "jp-national":
      return null;
    default: {
      const kind = String((holiday as { kind?: unknown })?.kind);
      return { code: "holiday-unknown-kind", params: { ...at, kind } };
    }
  }
}

function dateError(date: unknown, at: HolidayAt): ScheduleProblem | null {
  const value = String(date);
  if (typeof date !== "string" || !ISO_DATE.test(date)) {
    return { code: "holiday-not-a-date", params: { ...at, value } };
  }
  try {
    Temporal.PlainDate.from(date);
    return null;
  } catch {
    return { code: "holiday-not-a-calendar-date", params: { ...at, value } };
  }
}

/** Builds a floating-date rule, or null when the RRULE text is unusable. */
function compileRRule(holiday: { rrule: string; start: string }): RRuleInstance | null {
  if (typeof holiday.rrule !== "string") return null;
  const text = holiday.rrule.trim().replace(/^RRULE:/i, "");
  // DTSTART and TZID belong to `start`; a rule smuggling its own would be evaluated in the
  // process time zone by rrule, which is exactly the bug stack.md §7 warns about.
  if (text === "" || /[\n:]|DTSTART|TZID/i.test(text)) return null;
  try {
    const options = RRule.parseString(text);
    if (options.freq === undefined) return null;
    const start = Temporal.PlainDate.from(holiday.start);
    // rrule treats Date objects as UTC wall time; with a UTC-midnight dtstart every occurrence's
    // UTC date is the local calendar date we want, whatever the process TZ is.
    const dtstart = new Date(Date.UTC(start.year, start.month - 1, start.day));
    return new RRule({ ...options, dtstart });
  } catch {
    return null;
  }
}

function holidayMatcher(holidays: Holiday[]): (date: Temporal.PlainDate) => boolean {
  const dates = new Set<string>();
  const ranges: Array<{ from: string; to: string }> = [];
  const yearly = new Set<string>();
  const rules: Array<{ rule: RRuleInstance; days: number }> = [];
  let jpNational = false;
  for (const holiday of holidays) {
    switch (holiday.kind) {
      case "jp-national":
        jpNational = true;
        break;
      case "date":
        dates.add(holiday.date);
        break;
      case "range":
        ranges.push({ from: holiday.from, to: holiday.to });
        break;
      case "yearly":
        yearly.add(`${holiday.month}-${holiday.day}`);
        break;
      case "rrule":
        rules.push({ rule: compileRRule(holiday)!, days: holiday.days ?? 1 });
        break;
    }
  }
  // Rule occurrences are expanded a year at a time and cached, since the arithmetic asks about
  // consecutive days and an RRULE iterates from its start on every query.
  const ruleDatesByYear = new Map<number, Set<string>>();
  function ruleDates(year: number): Set<string> {
    let found = ruleDatesByYear.get(year);
    if (found) return found;
    found = new Set();
    for (const { rule, days } of rules) {
      const after = new Date(Date.UTC(year, 0, 1) - (days - 1) * DAY_MS);
      const before = new Date(Date.UTC(year, 11, 31, 23, 59, 59)); // BYHOUR rules land later
      for (const occurrence of rule.between(after, before, true)) {
        for (let i = 0; i < days; i++) {
          const day = new Date(occurrence.getTime() + i * DAY_MS);
          if (day.getUTCFullYear() === year) found.add(day.toISOString().slice(0, 10));
        }
      }
    }
    ruleDatesByYear.set(year, found);
    return found;
  }
  return function isHoliday(date: Temporal.PlainDate): boolean {
    const iso = date.toString();
    if (dates.has(iso) || yearly.has(`${date.month}-${date.day}`)) return true;
    if (jpNational && Object.hasOwn(holidayJp.holidays, iso)) return true;
    // ISO dates of the same width compare correctly as strings.
    if (ranges.some((range) => range.from <= iso && iso <= range.to)) return true;
    return rules.length > 0 && ruleDates(date.year).has(iso);
  };
}
