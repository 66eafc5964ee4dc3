/** Formatting shared by components and routes. */
import { dateTimeFormat } from "../domain/intl_cache.ts";
/** Formats an instant as a local date-time in the configured zone. */
export function formatDateTime(ms: number, timeZone: string, locale: string): string {
  return dateTimeFormat(locale === "en" ? "en-GB" : "ja-JP", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).format(ms);
}
