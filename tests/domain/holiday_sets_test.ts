import assert from "node:assert/strict";
import { compileSchedule, type Schedule } from "../../domain/schedule.ts";
import {
  JP_NATIONAL_LINE,
  parseScheduleForm,
  scheduleToForm,
  withHolidayPreset,
  YEAR_END_LINE,
} from "../../domain/schedule_form.ts";

const WEEKDAYS = {
  1: [{ start: "09:00", end: "18:00" }],
  2: [{ start: "09:00", end: "18:00" }],
  3: [{ start: "09:00", end: "18:00" }],
  4: [{ start: "09:00", end: "18:00" }],
  5: [{ start: "09:00", end: "18:00" }],
} as unknown as Schedule["weekly"];

function closedOn(holidays: Schedule["holidays"], date: string) {
  const compiled = compileSchedule({ timeZone: "Asia/Tokyo", weekly: WEEKDAYS, holidays });
  return compiled.isHoliday(Temporal.PlainDate.from(date));
}

Deno.test("holidays: Japan's national holidays close, substitute days and future years included", () => {
  const jp = [{ kind: "jp-national" as const }];
  assert.equal(closedOn(jp, "2026-01-01"), true, "元日");
  assert.equal(closedOn(jp, "2026-05-06"), true, "憲法記念日 振替休日 (5/3 is a Sunday)");
  assert.equal(closedOn(jp, "2026-09-22"), true, "国民の休日 between 敬老の日 and 秋分の日");
  assert.equal(closedOn(jp, "2030-03-20"), true, "春分の日 2030");
  assert.equal(closedOn(jp, "2026-05-07"), false);
  assert.equal(closedOn([], "2026-05-06"), false);
});

Deno.test("holidays: 年末年始 closes December 29 to January 3 every year", () => {
  const yearEnd = [
    parseScheduleForm({
      name: "x",
      timeZone: "Asia/Tokyo",
      days: ["", "09:00-18:00", "", "", "", "", "", ""],
      holidays: YEAR_END_LINE,
    }).schedule!.holidays[0],
  ];
  for (const d of ["2026-12-28", "2027-01-04"]) assert.equal(closedOn(yearEnd, d), false, d);
  for (const d of ["2026-12-29", "2026-12-31", "2027-01-01", "2027-01-03", "2031-12-30"]) {
    assert.equal(closedOn(yearEnd, d), true, d);
  }
});

Deno.test("holidays: a preset is added once, and the editor line survives a round trip", () => {
  const once = withHolidayPreset("2026-07-20 海の日", "jp");
  assert.equal(once, `2026-07-20 海の日\n${JP_NATIONAL_LINE}`);
  assert.equal(withHolidayPreset(once, "jp"), once);
  assert.equal(withHolidayPreset("", "year-end"), YEAR_END_LINE);
  const parsed = parseScheduleForm({
    name: "x",
    timeZone: "Asia/Tokyo",
    days: ["", "09:00-18:00", "", "", "", "", "", ""],
    holidays: once,
  });
  assert.deepEqual(parsed.errors, []);
  assert.deepEqual(parsed.schedule!.holidays[1], { kind: "jp-national" });
  assert.equal(
    scheduleToForm(parsed.schedule!).holidays,
    once,
  );
});
