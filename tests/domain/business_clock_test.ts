import assert from "node:assert/strict";
import fc from "fast-check";
import { ALWAYS_OPEN, precomputedClock, scheduleClock } from "../../domain/business_clock.ts";
import type { Schedule } from "../../domain/schedule.ts";

const DAY = 86_400_000;
const START = Date.UTC(2026, 2, 1); // March 2026: New York and Berlin both change clocks

const SCHEDULES: Schedule[] = [
  {
    timeZone: "America/New_York",
    weekly: {
      1: [{ start: "09:00", end: "12:00" }, { start: "13:00", end: "17:30" }],
      3: [{ start: "22:00", end: "06:00" }],
      5: [{ start: "01:00", end: "04:00" }],
      7: [{ start: "00:00", end: "00:00" }],
    },
    holidays: [{ kind: "date", date: "2026-03-16" }, { kind: "yearly", month: 3, day: 20 }],
  },
  {
    timeZone: "Europe/Berlin",
    weekly: Object.fromEntries([1, 2, 3, 4, 5].map((d) => [d, [{ start: "08:00", end: "18:00" }]])),
    holidays: [{ kind: "range", from: "2026-04-03", to: "2026-04-06" }],
  },
  { timeZone: "Asia/Tokyo", weekly: {}, holidays: [] },
];

Deno.test("business clock: the precomputed clock answers exactly like business_time.ts", () => {
  for (const schedule of SCHEDULES) {
    const exact = scheduleClock(schedule);
    // A window narrower than the queries, so fallbacks at both edges are exercised too.
    const fast = precomputedClock(schedule, START + 3 * DAY, START + 40 * DAY);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 50 * DAY }),
        fc.integer({ min: 0, max: 20 * DAY }),
        (offset, ms) => {
          const from = START + offset;
          assert.equal(fast.add(from, ms), exact.add(from, ms));
          assert.equal(fast.between(from, from + ms), exact.between(from, from + ms));
          assert.equal(fast.between(from + ms, from), exact.between(from + ms, from));
        },
      ),
      { numRuns: 300 },
    );
  }
});

Deno.test("business clock: without a schedule business time is real time", () => {
  assert.equal(ALWAYS_OPEN.add(1_000, 500), 1_500);
  assert.equal(ALWAYS_OPEN.add(1_000, -5), 1_000);
  assert.equal(ALWAYS_OPEN.between(2_000, 1_000), -1_000);
  assert.equal(scheduleClock(null), ALWAYS_OPEN);
});
