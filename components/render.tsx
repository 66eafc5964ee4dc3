/** Formatting shared by components and routes. */
import { formatZoned } from "../domain/zoned_time.ts";
/** Formats an instant as a local date-time in the configured zone ("2026/12/01 14:05"). */
export function formatDateTime(ms: number, timeZone: string, locale: string): string {
  return formatZoned(ms, timeZone, locale === "en" ? "en-GB" : "ja-JP");
}
