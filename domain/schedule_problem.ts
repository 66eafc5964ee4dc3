/**
 * What can be wrong with a schedule, as data (`domain/schedule.ts` finds it), and its English
 * wording for logs and `InvalidScheduleError`; the admin page words it from its own catalog in
 * the reader's language.
 *
 * @module
 */

/** The parameters of each kind of schedule problem; weekdays are ISO numbers, `n` counts from 1. */
export interface ScheduleProblemParams {
  "unknown-time-zone": { zone: string };
  "unknown-weekday": { key: string };
  "hours-not-a-list": { weekday: number };
  "bad-start": { weekday: number; value: string };
  "bad-end": { weekday: number; value: string };
  "holidays-not-a-list": Record<never, never>;
  "holiday-not-a-date": { n: number; name: string; value: string };
  "holiday-not-a-calendar-date": { n: number; name: string; value: string };
  "holiday-reversed-range": { n: number; name: string; from: string; to: string };
  "holiday-yearly-not-integers": { n: number; name: string };
  "holiday-not-a-calendar-day": { n: number; name: string; month: number; day: number };
  "holiday-bad-days": { n: number; name: string };
  "holiday-bad-rrule": { n: number; name: string; rrule: string };
  "holiday-unknown-kind": { n: number; name: string; kind: string };
  overlap: {
    weekday: number;
    start: string;
    end: string;
    otherWeekday: number;
    otherStart: string;
    otherEnd: string;
  };
}

/** One problem with a schedule, as data: the admin page words it in the reader's language. */
export type ScheduleProblem = {
  [C in keyof ScheduleProblemParams]: { code: C; params: ScheduleProblemParams[C] };
}[keyof ScheduleProblemParams];

const WEEKDAY_NAMES = [
  "",
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
  "Sunday",
];

/** A problem in English (logs, InvalidScheduleError); the UI words it from its catalog. */
export function describeScheduleProblem({ code, params: p }: ScheduleProblem): string {
  const day = (weekday: number) => WEEKDAY_NAMES[weekday] ?? String(weekday);
  const holiday = (h: { n: number; name: string }) =>
    `Holiday ${h.n}${h.name === "" ? "" : ` (${h.name})`}: `;
  switch (code) {
    case "unknown-time-zone":
      return `Unknown time zone "${p.zone}"`;
    case "unknown-weekday":
      return `Unknown weekday "${p.key}" (use 1 = Monday … 7 = Sunday)`;
    case "hours-not-a-list":
      return `${day(p.weekday)}: opening hours must be a list of intervals`;
    case "bad-start":
      return `${day(p.weekday)}: start "${p.value}" is not a HH:MM time`;
    case "bad-end":
      return `${day(p.weekday)}: end "${p.value}" is not a HH:MM time`;
    case "holidays-not-a-list":
      return "Holidays must be a list";
    case "holiday-not-a-date":
      return `${holiday(p)}"${p.value}" is not a YYYY-MM-DD date`;
    case "holiday-not-a-calendar-date":
      return `${holiday(p)}"${p.value}" is not a calendar date`;
    case "holiday-reversed-range":
      return `${holiday(p)}"${p.from}" is after "${p.to}"`;
    case "holiday-yearly-not-integers":
      return `${holiday(p)}month and day must be integers`;
    case "holiday-not-a-calendar-day":
      return `${holiday(p)}${p.month}/${p.day} is not a calendar day`;
    case "holiday-bad-days":
      return `${holiday(p)}days must be a whole number from 1 to 366`;
    case "holiday-bad-rrule":
      return `${holiday(p)}"${p.rrule}" is not a valid RRULE`;
    case "holiday-unknown-kind":
      return `${holiday(p)}unknown holiday kind "${p.kind}"`;
    case "overlap":
      return `${day(p.weekday)} ${p.start}–${p.end} overlaps ${
        day(p.otherWeekday)
      } ${p.otherStart}–${p.otherEnd}`;
  }
}
