/**
 * The schedule editor's text fields and back: opening hours per weekday as
 * "09:00-12:00, 13:00-18:00" ("22:00-06:00" runs overnight, empty is closed) and one holiday per
 * line:
 *
 *     2026-01-01 元日                              a date
 *     2026-12-29..2027-01-03 年末年始              a range (also 〜 or ~)
 *     毎年 05-03 憲法記念日                         every year (also "yearly 05-03")
 *     rrule 2026-01-12 FREQ=YEARLY;BYMONTH=1;BYDAY=2MO 成人の日     an RRULE from a start date
 *
 * Pure, so the admin page only renders what this returns; scheduleProblems of
 * domain/schedule.ts checks the result. Problems are data the page words in the reader's language.
 */
import {
  type Holiday,
  type IsoWeekday,
  type Schedule,
  scheduleProblems,
  type TimeInterval,
  type WeeklyHours,
} from "./schedule.ts";
import type { ScheduleProblem } from "./schedule_problem.ts";

const NAME_MAX = 100;

/** A problem with the editor's input: the schedule's own, or one of the text fields'. */
export type ScheduleFormProblem =
  | ScheduleProblem
  | { code: "name-required"; params: Record<never, never> }
  | { code: "name-too-long"; params: { max: number } }
  | { code: "bad-interval"; params: { weekday: number; text: string } }
  | { code: "bad-holiday-line"; params: { line: number; text: string } }
  /** An uploaded iCalendar file without any all-day event. */
  | { code: "ics-empty"; params: { file: string } };

/** The editor's raw values, kept as typed to show again next to errors. */
export interface ScheduleForm {
  name: string;
  timeZone: string;
  /** Index 1 … 7 (ISO weekday); index 0 unused. */
  days: string[];
  holidays: string;
}

const INTERVAL = /^(\d{1,2}:\d{2})-(\d{1,2}:\d{2})$/;
const DATE = "\\d{4}-\\d{2}-\\d{2}";

/** Parses and validates the editor; `schedule` is set only when there are no errors. */
export function parseScheduleForm(
  form: ScheduleForm,
): { schedule?: { name: string } & Schedule; errors: ScheduleFormProblem[] } {
  const errors: ScheduleFormProblem[] = [];
  const name = form.name.trim();
  if (name === "") errors.push({ code: "name-required", params: {} });
  if (name.length > NAME_MAX) errors.push({ code: "name-too-long", params: { max: NAME_MAX } });
  const weekly: WeeklyHours = {};
  for (let day = 1; day <= 7; day++) {
    const intervals: TimeInterval[] = [];
    const text = (form.days[day] ?? "").replace(/\s*[-–~〜]\s*/g, "-");
    for (const part of text.split(/[,、;\s]+/)) {
      if (part === "") continue;
      const m = INTERVAL.exec(part);
      if (!m) {
        errors.push({ code: "bad-interval", params: { weekday: day, text: part } });
        continue;
      }
      intervals.push({ start: pad(m[1]), end: pad(m[2]) });
    }
    if (intervals.length > 0) weekly[day as IsoWeekday] = intervals;
  }
  const holidays: Holiday[] = [];
  form.holidays.split(/\r?\n/).forEach((line, i) => {
    const text = line.trim();
    if (text === "" || text.startsWith("#")) return;
    const holiday = parseHolidayLine(text);
    if (holiday) holidays.push(holiday);
    else errors.push({ code: "bad-holiday-line", params: { line: i + 1, text } });
  });
  const schedule = { name, timeZone: form.timeZone.trim(), weekly, holidays };
  errors.push(...scheduleProblems(schedule));
  return errors.length > 0 ? { errors } : { schedule, errors };
}

/** The editor's values for a stored schedule. */
export function scheduleToForm(s: { name: string } & Schedule): ScheduleForm {
  const days = [""];
  for (let day = 1; day <= 7; day++) {
    days.push((s.weekly[day as IsoWeekday] ?? []).map((iv) => `${iv.start}-${iv.end}`).join(", "));
  }
  return {
    name: s.name,
    timeZone: s.timeZone,
    days,
    holidays: s.holidays.map(formatHoliday).join("\n"),
  };
}

/** The editor line of Japan's national holidays (domain/schedule.ts `jp-national`). */
export const JP_NATIONAL_LINE = "日本の祝日";

/** 年末年始: December 29 to January 3, every year. */
export const YEAR_END_LINE = "rrule 2000-12-29 FREQ=YEARLY days=6 年末年始";

/** The one-click holiday sets of the business-hours editor, as editor lines. */
export const HOLIDAY_PRESETS = { jp: JP_NATIONAL_LINE, "year-end": YEAR_END_LINE } as const;
export type HolidayPreset = keyof typeof HOLIDAY_PRESETS;

/** The editor's holiday lines with a preset appended, unless an equal line is there already. */
export function withHolidayPreset(lines: string, preset: HolidayPreset): string {
  const line = HOLIDAY_PRESETS[preset];
  const have = lines.split(/\r?\n/).map((l) => l.trim());
  const wanted = parseHolidayLine(line);
  const same = have.some((l) => JSON.stringify(parseHolidayLine(l)) === JSON.stringify(wanted));
  return same ? lines : [lines.trimEnd(), line].filter(Boolean).join("\n");
}

/** One holiday as an editor line. */
export function formatHoliday(h: Holiday): string {
  const name = h.name ? ` ${h.name}` : "";
  switch (h.kind) {
    case "date":
      return `${h.date}${name}`;
    case "range":
      return `${h.from}..${h.to}${name}`;
    case "yearly":
      return `毎年 ${String(h.month).padStart(2, "0")}-${String(h.day).padStart(2, "0")}${name}`;
    case "rrule":
      return `rrule ${h.start} ${h.rrule}${(h.days ?? 1) > 1 ? ` days=${h.days}` : ""}${name}`;
    case "jp-national":
      return JP_NATIONAL_LINE;
  }
}

/** One editor line as a holiday, or null when it matches no form. */
export function parseHolidayLine(line: string): Holiday | null {
  const named = (rest: string | undefined) => {
    const name = rest?.trim();
    return name ? { name } : {};
  };
  let m = new RegExp(`^(${DATE})\\s*(?:\\.\\.|〜|~)\\s*(${DATE})(?:\\s+(.*))?$`).exec(line);
  if (m) return { kind: "range", from: m[1], to: m[2], ...named(m[3]) };
  m = new RegExp(`^(${DATE})(?:\\s+(.*))?$`).exec(line);
  if (m) return { kind: "date", date: m[1], ...named(m[2]) };
  m = /^(?:毎年|yearly|every)\s*(\d{1,2})[-/](\d{1,2})(?:\s+(.*))?$/i.exec(line);
  if (m) return { kind: "yearly", month: Number(m[1]), day: Number(m[2]), ...named(m[3]) };
  if (/^(日本の祝日|祝日|jp-holidays)$/i.test(line)) return { kind: "jp-national" };
  m = new RegExp(`^rrule\\s+(${DATE})\\s+(\\S+)(?:\\s+days=(\\d+))?(?:\\s+(.*))?$`, "i").exec(line);
  if (m) {
    const days = m[3] ? { days: Number(m[3]) } : {};
    return { kind: "rrule", start: m[1], rrule: m[2], ...days, ...named(m[4]) };
  }
  return null;
}

function pad(time: string): string {
  return time.length === 4 ? `0${time}` : time;
}
