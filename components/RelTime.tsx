/** A relative time ("3分前") in a `<time>` whose `datetime` and `title` carry the exact instant. */
import { exactTime, relativeTime, type RelativeTimeOptions } from "../domain/relative_time.ts";

export function RelTime(
  { at, now, opts }: { at: number; now: number; opts: RelativeTimeOptions },
) {
  return (
    <time dateTime={new Date(at).toISOString()} title={exactTime(at, opts)}>
      {relativeTime(at, now, opts)}
    </time>
  );
}
