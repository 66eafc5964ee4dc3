/**
 * Relative times for lists ("3分前", "昨日 14:05", "5 min ago"): short enough never to wrap, exact
 * enough to tell this morning from yesterday. The exact instant goes beside it in a `title` or
 * `<time datetime>` (`exactTime`). Pure: the clock and the zone are passed in.
 */
import { formatZoned, zonedFields } from "./zoned_time.ts";

export type RelativeLocale = "ja" | "en";

export interface RelativeTimeOptions {
  locale: RelativeLocale;
  /** The agent's IANA zone: "yesterday" and "this year" are calendar days there. */
  timeZone: string;
}

/** Under this many ms in the future counts as now (clocks of mail servers drift). */
const SKEW_MS = 60_000;

interface Parts {
  year: number;
  month: number;
  day: number;
  hm: string;
}

function parts(ms: number, timeZone: string): Parts {
  const f = zonedFields(ms, timeZone);
  const hm = `${f.hour < 10 ? "0" : ""}${f.hour}:${f.minute < 10 ? "0" : ""}${f.minute}`;
  return { year: f.year, month: f.month, day: f.day, hm };
}

/** Days between two calendar dates (a civil-day count, immune to DST). */
function dayNumber(p: Parts): number {
  return Math.floor(Date.UTC(p.year, p.month - 1, p.day) / 86_400_000);
}

const EN_MONTHS = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
];

/**
 * "たった今" / "just now" under a minute; "3分前" / "3 min ago" under an hour; "2時間前" /
 * "2 h ago" earlier the same day; "昨日 14:05" / "Yesterday 14:05"; "3月5日" / "5 Mar" this year;
 * "2025/03/05" / "5 Mar 2025" before. A future instant (beyond a minute of skew) is written out:
 * "12月3日 14:05" / "3 Dec 14:05", with the year when it is not this year's.
 */
export function relativeTime(at: number, now: number, opts: RelativeTimeOptions): string {
  const ja = opts.locale === "ja";
  const diff = now - at;
  const a = parts(at, opts.timeZone);
  const n = parts(now, opts.timeZone);
  if (diff < -SKEW_MS) {
    const sameYear = a.year === n.year;
    if (ja) return `${sameYear ? "" : `${a.year}年`}${a.month}月${a.day}日 ${a.hm}`;
    return `${a.day} ${EN_MONTHS[a.month - 1]}${sameYear ? "" : ` ${a.year}`} ${a.hm}`;
  }
  if (diff < 60_000) return ja ? "たった今" : "just now";
  const minutes = Math.floor(diff / 60_000);
  if (minutes < 60) return ja ? `${minutes}分前` : `${minutes} min ago`;
  const days = dayNumber(n) - dayNumber(a);
  if (days === 0) {
    const hours = Math.floor(minutes / 60);
    return ja ? `${hours}時間前` : `${hours} h ago`;
  }
  if (days === 1) return ja ? `昨日 ${a.hm}` : `Yesterday ${a.hm}`;
  if (a.year === n.year) {
    return ja ? `${a.month}月${a.day}日` : `${a.day} ${EN_MONTHS[a.month - 1]}`;
  }
  if (ja) return `${a.year}/${String(a.month).padStart(2, "0")}/${String(a.day).padStart(2, "0")}`;
  return `${a.day} ${EN_MONTHS[a.month - 1]} ${a.year}`;
}

/** The exact instant for the hover: "2026/12/01 14:05" / "01/12/2026, 14:05" in the agent's zone. */
export function exactTime(at: number, opts: RelativeTimeOptions): string {
  return formatZoned(at, opts.timeZone, opts.locale === "en" ? "en-GB" : "ja-JP", true);
}
