/**
 * The two business-time questions SLAs ask — "when is N business ms after this instant?" and
 * "how much business time between these two?" — behind one interface, so a batch of 100 k
 * tickets need not walk the calendar 100 k times.
 *
 * `scheduleClock` asks business_time.ts each time. `precomputedClock` asks it once for the open
 * intervals of a window and answers from prefix sums by binary search; whatever falls outside
 * the window goes back to business_time.ts, so both give the same answers (property-tested in
 * tests/domain/business_clock_test.ts).
 *
 * @module
 */
import { addBusinessMinutes, businessMillisecondsBetween, openIntervals } from "./business_time.ts";
import type { Schedule } from "./schedule.ts";

export interface BusinessClock {
  /** The instant `ms` business ms after `fromMs` (`fromMs` itself when `ms` <= 0); null if never. */
  add(fromMs: number, ms: number): number | null;
  /** Business ms in [fromMs, toMs); negative when toMs < fromMs. */
  between(fromMs: number, toMs: number): number;
}

/** No schedule: open around the clock, business time is real time. */
export const ALWAYS_OPEN: BusinessClock = {
  add: (fromMs, ms) => ms <= 0 ? fromMs : fromMs + ms,
  between: (fromMs, toMs) => toMs - fromMs,
};

/** A clock that asks business_time.ts on every call (one ticket at a time). */
export function scheduleClock(schedule: Schedule | null): BusinessClock {
  if (!schedule) return ALWAYS_OPEN;
  return {
    add: (fromMs, ms) => ms <= 0 ? fromMs : addBusinessMinutes(schedule, fromMs, ms / 60_000),
    // `+ 0` turns the -0 of an empty reversed span into 0.
    between: (fromMs, toMs) => businessMillisecondsBetween(schedule, fromMs, toMs) + 0,
  };
}

/** A clock with the open intervals of [windowStart, windowEnd) computed once. */
export function precomputedClock(
  schedule: Schedule | null,
  windowStart: number,
  windowEnd: number,
): BusinessClock {
  if (!schedule) return ALWAYS_OPEN;
  const exact = scheduleClock(schedule);
  const intervals = openIntervals(schedule, windowStart, windowEnd);
  const n = intervals.length;
  const starts = new Float64Array(n);
  const ends = new Float64Array(n);
  // before[i]: business ms in the window before interval i starts.
  const before = new Float64Array(n + 1);
  intervals.forEach((iv, i) => {
    starts[i] = iv.start;
    ends[i] = iv.end;
    before[i + 1] = before[i] + (iv.end - iv.start);
  });
  const inWindow = (t: number) => t >= windowStart && t <= windowEnd;

  /** Index of the last interval starting at or before t, or -1. */
  function lastStartingBy(t: number): number {
    let lo = 0;
    let hi = n - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] <= t) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /** Business ms in [windowStart, t). */
  function cumulative(t: number): number {
    const i = lastStartingBy(t);
    if (i < 0) return 0;
    return before[i] + Math.min(t, ends[i]) - starts[i];
  }

  return {
    add(fromMs, ms) {
      if (ms <= 0) return fromMs;
      if (!inWindow(fromMs)) return exact.add(fromMs, ms);
      // Same rounding as addBusinessMinutes: whole milliseconds.
      const target = cumulative(fromMs) + Math.round(ms);
      if (n === 0 || target > before[n]) return exact.add(fromMs, ms);
      // The first interval whose end has `target` business ms behind it: a deadline landing on
      // a closing time stays there (business_time.ts's `<=`).
      let lo = 0;
      let hi = n - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (before[mid + 1] >= target) hi = mid;
        else lo = mid + 1;
      }
      return starts[lo] + (target - before[lo]);
    },
    between(fromMs, toMs) {
      if (!inWindow(fromMs) || !inWindow(toMs)) return exact.between(fromMs, toMs);
      return cumulative(toMs) - cumulative(fromMs);
    },
  };
}
