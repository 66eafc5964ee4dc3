/**
 * Calendar fields and the two date-time formats the UI prints, in an IANA zone, without asking
 * ICU for every instant (issue 13).
 *
 * An inbox page prints about 150 instants (relative time, its exact hover, dates), and each
 * `Intl` format or `formatToParts` call costs several microseconds and allocates: together a
 * tenth of the page's CPU. A zone's offset from UTC changes only at its transitions, so it is
 * looked up once per zone and UTC hour and the fields come from `Date`'s UTC arithmetic. An hour
 * whose offset at its start and at its last millisecond differ holds a transition (at a time no
 * table of hours can know): instants in it are formatted by `Intl` itself, as are years outside
 * 1000–9999, so every answer is exactly what `Intl.DateTimeFormat` says
 * (tests/domain/zoned_time_test.ts checks that property across zones and centuries).
 */
import { dateTimeFormat } from "./intl_cache.ts";

export interface ZonedFields {
  year: number;
  /** 1–12. */
  month: number;
  day: number;
  /** 0–23. */
  hour: number;
  minute: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
}

const HOUR = 3_600_000;
/** Hours remembered per zone (about two years of instants); then the zone's table starts over. */
const MAX_HOURS_PER_ZONE = 20_000;
/** A sentinel offset: the hour holds a transition. */
const MIXED = Number.NaN;

const offsets = new Map<string, Map<number, number>>();

function fieldsFormat(timeZone: string): Intl.DateTimeFormat {
  return dateTimeFormat("en-GB", {
    timeZone,
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
    weekday: "short",
    hourCycle: "h23",
  });
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** The fields as ICU gives them (the slow, exact path). */
function intlFields(ms: number, timeZone: string): ZonedFields & { second: number } {
  const p: Record<string, string> = {};
  for (const x of fieldsFormat(timeZone).formatToParts(ms)) p[x.type] = x.value;
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour),
    minute: Number(p.minute),
    second: Number(p.second),
    weekday: WEEKDAYS[p.weekday],
  };
}

/** The zone's offset (ms) at an instant with whole seconds. */
function offsetAt(ms: number, timeZone: string): number {
  const f = intlFields(ms, timeZone);
  const local = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
  // Date.UTC maps years 0–99 to 1900–1999: such instants never reach here (see zonedFields).
  return local - (ms - (((ms % 1000) + 1000) % 1000));
}

/** The offset for every instant of the UTC hour `h`, or MIXED when it changes within. */
function hourOffset(h: number, timeZone: string): number {
  let table = offsets.get(timeZone);
  if (table === undefined) offsets.set(timeZone, table = new Map());
  let off = table.get(h);
  if (off === undefined) {
    const start = offsetAt(h * HOUR, timeZone);
    const end = offsetAt(h * HOUR + HOUR - 1000, timeZone);
    off = start === end ? start : MIXED;
    if (table.size >= MAX_HOURS_PER_ZONE) table.clear();
    table.set(h, off);
  }
  return off;
}

/** The fields from the cached offset, or null where only Intl knows (a transition, odd years). */
function cachedFields(ms: number, timeZone: string): ZonedFields | null {
  const off = hourOffset(Math.floor(ms / HOUR), timeZone);
  if (Number.isNaN(off)) return null;
  const d = new Date(ms + off);
  const year = d.getUTCFullYear();
  if (year < 1000 || year > 9999) return null;
  return {
    year,
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    weekday: d.getUTCDay(),
  };
}

/** The calendar fields of an instant in the zone (a RangeError for an unknown zone). */
export function zonedFields(ms: number, timeZone: string): ZonedFields {
  return cachedFields(ms, timeZone) ?? intlFields(ms, timeZone);
}

const JA_WEEKDAYS = ["日", "月", "火", "水", "木", "金", "土"];
const EN_WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

function two(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * An instant as `Intl.DateTimeFormat` writes it with 2-digit month, day, hour and minute and a
 * numeric year (and a short weekday when asked): "2026/12/01(火) 14:05" in ja-JP,
 * "Tue, 01/12/2026, 14:05" in en-GB.
 */
export function formatZoned(
  ms: number,
  timeZone: string,
  locale: "ja-JP" | "en-GB",
  withWeekday = false,
): string {
  const f = cachedFields(ms, timeZone);
  if (f === null) {
    return dateTimeFormat(locale, {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      ...(withWeekday ? { weekday: "short" } : {}),
    }).format(ms);
  }
  const time = `${two(f.hour)}:${two(f.minute)}`;
  if (locale === "ja-JP") {
    const date = `${f.year}/${two(f.month)}/${two(f.day)}`;
    return withWeekday ? `${date}(${JA_WEEKDAYS[f.weekday]}) ${time}` : `${date} ${time}`;
  }
  const date = `${two(f.day)}/${two(f.month)}/${f.year}, ${time}`;
  return withWeekday ? `${EN_WEEKDAYS[f.weekday]}, ${date}` : date;
}
