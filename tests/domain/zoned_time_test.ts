import assert from "node:assert/strict";
import fc from "fast-check";
import { formatZoned, zonedFields } from "../../domain/zoned_time.ts";

// Zones with DST both ways, 30- and 45-minute offsets, a date-line jump (Apia skipped 2011-12-30)
// and historical local mean times (Tokyo before 1888: +09:18:59).
const ZONES = [
  "Asia/Tokyo",
  "UTC",
  "Europe/London",
  "America/New_York",
  "Australia/Lord_Howe",
  "Asia/Kathmandu",
  "Asia/Kolkata",
  "Pacific/Apia",
  "America/Sao_Paulo",
  "Pacific/Chatham",
];

function intl(ms: number, timeZone: string, locale: string, weekday: boolean): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    ...(weekday ? { weekday: "short" } : {}),
  }).format(ms);
}

// Instants from 1850 to 2150, biased towards a few minutes either side of whole hours, where
// transitions happen.
const instant = fc.oneof(
  fc.integer({ min: Date.UTC(1850, 0, 1), max: Date.UTC(2150, 0, 1) }),
  fc.tuple(
    fc.integer({ min: Date.UTC(1850, 0, 1) / 3_600_000, max: Date.UTC(2150, 0, 1) / 3_600_000 }),
    fc.integer({ min: -120_000, max: 120_000 }),
  ).map(([h, d]) => h * 3_600_000 + d),
);

Deno.test("zoned time: every format is exactly Intl's, in every zone and century", () => {
  fc.assert(
    fc.property(
      instant,
      fc.constantFrom(...ZONES),
      fc.constantFrom("ja-JP", "en-GB") as fc.Arbitrary<"ja-JP" | "en-GB">,
      fc.boolean(),
      (ms, zone, locale, weekday) => {
        assert.equal(formatZoned(ms, zone, locale, weekday), intl(ms, zone, locale, weekday));
      },
    ),
    { numRuns: 5_000 },
  );
});

Deno.test("zoned time: the minute around each DST change of 2026 in New York and London", () => {
  const changes = [
    ["America/New_York", Date.UTC(2026, 2, 8, 7)],
    ["America/New_York", Date.UTC(2026, 10, 1, 6)],
    ["Europe/London", Date.UTC(2026, 2, 29, 1)],
    ["Europe/London", Date.UTC(2026, 9, 25, 1)],
  ] as const;
  for (const [zone, at] of changes) {
    for (let ms = at - 61_000; ms <= at + 61_000; ms += 1_000) {
      assert.equal(formatZoned(ms, zone, "ja-JP"), intl(ms, zone, "ja-JP", false), `${zone} ${ms}`);
    }
  }
  // The fields themselves: 2026-03-08 01:59 EST, then 03:00 EDT.
  const before = zonedFields(Date.UTC(2026, 2, 8, 6, 59), "America/New_York");
  const after = zonedFields(Date.UTC(2026, 2, 8, 7, 0), "America/New_York");
  assert.deepEqual([before.hour, before.minute, after.hour, after.minute], [1, 59, 3, 0]);
  assert.equal(after.weekday, 0);
});

Deno.test("zoned time: an unknown zone is a RangeError, as with Intl", () => {
  assert.throws(() => zonedFields(0, "Mars/Olympus"), RangeError);
});
