/** Formatting shared by components and routes. */
/** Formats an instant as a local date-time in the configured zone. */
export function formatDateTime(ms: number, timeZone: string, locale: string): string {
  return new Intl.DateTimeFormat(locale === "en" ? "en-GB" : "ja-JP", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).format(ms);
}
