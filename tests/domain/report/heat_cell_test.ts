import assert from "node:assert/strict";
import { heatCellRanges } from "../../../domain/report/heat_cell.ts";
import { weekdayHour } from "../../../domain/report/period.ts";

const iso = (ranges: [number, number][]) =>
  ranges.map(([a, b]) => [new Date(a).toISOString(), (b - a) / 60_000]);

Deno.test("heat cell: each Wednesday's 10 o'clock hour of a fortnight, in Tokyo", () => {
  const ranges = heatCellRanges(
    { fromMs: Date.parse("2026-05-18T00:00+09:00"), toMs: Date.parse("2026-06-01T00:00+09:00") },
    { weekday: 3, hour: 10 },
    "Asia/Tokyo",
  );
  assert.deepEqual(iso(ranges), [["2026-05-20T01:00:00.000Z", 60], [
    "2026-05-27T01:00:00.000Z",
    60,
  ]]);
});

Deno.test("heat cell: a repeated hour is two hours long, a skipped one is empty (New York)", () => {
  const zone = "America/New_York";
  const back = heatCellRanges(
    { fromMs: Date.parse("2026-11-01T00:00-04:00"), toMs: Date.parse("2026-11-02T00:00-05:00") },
    { weekday: 7, hour: 1 },
    zone,
  );
  assert.deepEqual(iso(back), [["2026-11-01T05:00:00.000Z", 120]]);
  const forward = heatCellRanges(
    { fromMs: Date.parse("2026-03-08T00:00-05:00"), toMs: Date.parse("2026-03-09T00:00-04:00") },
    { weekday: 7, hour: 2 },
    zone,
  );
  assert.deepEqual(forward, []);
});

Deno.test("heat cell: the ranges hold exactly the instants weekdayHour puts in the cell", () => {
  const zone = "Australia/Lord_Howe"; // half-hour DST shifts
  const fromMs = Date.parse("2026-04-01T00:00Z");
  const toMs = Date.parse("2026-04-15T00:00Z");
  for (const cell of [{ weekday: 7, hour: 1 }, { weekday: 3, hour: 0 }, { weekday: 1, hour: 23 }]) {
    const ranges = heatCellRanges({ fromMs, toMs }, cell, zone);
    for (let ms = fromMs; ms < toMs; ms += 5 * 60_000) {
      const wh = weekdayHour(ms, zone);
      const inCell = wh.weekday === cell.weekday && wh.hour === cell.hour;
      const inRanges = ranges.some(([a, b]) => a <= ms && ms < b);
      assert.equal(inRanges, inCell, `${new Date(ms).toISOString()} ${JSON.stringify(cell)}`);
    }
  }
});
