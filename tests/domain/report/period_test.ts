import assert from "node:assert/strict";
import { periodDates, resolvePeriod } from "../../../domain/report/period.ts";
import { localTimeFormatter } from "../../../domain/report/local_time.ts";
import { quantile } from "../../../domain/report/stats.ts";

const NOW = Date.parse("2026-03-04T23:30:00Z"); // Thursday 2026-03-05 08:30 in Tokyo

Deno.test("period: presets are dates in the team's zone, weeks from Monday", () => {
  const z = "Asia/Tokyo";
  const pick = (p: ReturnType<typeof resolvePeriod>) => [p.from, p.to];
  assert.deepEqual(pick(resolvePeriod("today", NOW, z)), ["2026-03-05", "2026-03-05"]);
  assert.deepEqual(pick(resolvePeriod("week", NOW, z)), ["2026-03-02", "2026-03-08"]);
  assert.deepEqual(pick(resolvePeriod("month", NOW, z)), ["2026-03-01", "2026-03-31"]);
  assert.deepEqual(pick(resolvePeriod("last_month", NOW, z)), ["2026-02-01", "2026-02-28"]);
  // In UTC it is still Wednesday the 4th.
  assert.deepEqual(pick(resolvePeriod("today", NOW, "UTC")), ["2026-03-04", "2026-03-04"]);
  const today = resolvePeriod("today", NOW, z);
  assert.equal(today.fromMs, Date.parse("2026-03-04T15:00:00Z"));
  assert.equal(today.toMs - today.fromMs, 86_400_000);
});

Deno.test("period: a custom range is inclusive; reversed or over a year is refused", () => {
  const p = resolvePeriod("custom", NOW, "Asia/Tokyo", { from: "2026-02-27", to: "2026-03-01" });
  assert.deepEqual(periodDates(p), ["2026-02-27", "2026-02-28", "2026-03-01"]);
  assert.throws(
    () => resolvePeriod("custom", NOW, "UTC", { from: "2026-03-02", to: "2026-03-01" }),
    RangeError,
  );
  assert.throws(
    () => resolvePeriod("custom", NOW, "UTC", { from: "2024-01-01", to: "2026-01-01" }),
    RangeError,
  );
});

Deno.test("period: a DST day in New York has 23 hours, and local times follow the offset", () => {
  const p = resolvePeriod("custom", NOW, "America/New_York", {
    from: "2026-03-08",
    to: "2026-03-08",
  });
  assert.equal(p.toMs - p.fromMs, 23 * 3_600_000);
  const fmt = localTimeFormatter("America/New_York");
  assert.equal(fmt(Date.parse("2026-03-08T06:59:00Z")), "2026-03-08 01:59");
  assert.equal(fmt(Date.parse("2026-03-08T07:00:00Z")), "2026-03-08 03:00");
  assert.equal(fmt(null), "");
});

Deno.test("stats: quantiles interpolate between ranks", () => {
  assert.equal(quantile([], 0.5), null);
  assert.equal(quantile([7], 0.9), 7);
  assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
  assert.equal(quantile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9), 91);
});
