/**
 * "YYYY-MM-DD HH:mm" in a time zone for many instants (an export of 200 k tickets): the zone's
 * offset is asked of Temporal once per quarter of a UTC hour and remembered (every offset
 * change in the time zone database falls on a quarter hour, Lord Howe's 15:30 UTC included).
 *
 * @module
 */

const QUARTER_MS = 900_000;

/** A formatter of instants as local "YYYY-MM-DD HH:mm" (null → ""). */
export function localTimeFormatter(timeZone: string): (ms: number | null) => string {
  const offsets = new Map<number, number>();
  const pad = (n: number) => (n < 10 ? "0" : "") + n;
  return (ms) => {
    if (ms === null) return "";
    const hour = Math.floor(ms / QUARTER_MS);
    let offset = offsets.get(hour);
    if (offset === undefined) {
      offset =
        Temporal.Instant.fromEpochMilliseconds(hour * QUARTER_MS).toZonedDateTimeISO(timeZone)
          .offsetNanoseconds / 1e6;
      offsets.set(hour, offset);
    }
    const d = new Date(ms + offset);
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
      `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  };
}
