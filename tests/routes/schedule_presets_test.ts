/** /admin/schedules: 日本の祝日 and 年末年始 in one click each. */
import assert from "node:assert/strict";
import { listSchedules } from "../../db/schedules.ts";
import { JP_NATIONAL_LINE, YEAR_END_LINE } from "../../domain/schedule_form.ts";
import { setupCustomerApp } from "./customer_helpers.ts";

function form(over: Record<string, string>) {
  return new URLSearchParams({
    name: "営業日",
    timeZone: "Asia/Tokyo",
    day1: "09:00-18:00",
    day2: "09:00-18:00",
    day3: "09:00-18:00",
    day4: "09:00-18:00",
    day5: "09:00-18:00",
    day6: "",
    day7: "",
    holidays: "",
    ...over,
  });
}

Deno.test("schedules: the 日本の祝日 and 年末年始 buttons add their line once and save", async () => {
  const t = await setupCustomerApp();
  try {
    const cookie = await t.login();
    const page = await (await t.request("/admin/schedules/new", { cookie })).text();
    assert.match(page, /name="preset" value="jp"/);
    assert.match(page, /年末年始 \(12\/29〜1\/3\)/);

    const created = await t.request("/admin/schedules", {
      method: "POST",
      body: form({ holidays: "2026-08-13..2026-08-16 夏季休業", preset: "jp" }),
      cookie,
    });
    assert.equal(created.status, 303);
    const id = /\/admin\/schedules\/(\d+)/.exec(created.headers.get("location")!)![1];
    const again = await t.request(`/admin/schedules/${id}`, {
      method: "POST",
      body: form({
        holidays: `2026-08-13..2026-08-16 夏季休業\n${JP_NATIONAL_LINE}`,
        preset: "year-end",
      }),
      cookie,
    });
    assert.equal(again.status, 303);
    const [schedule] = await listSchedules(t.store.db);
    assert.deepEqual(schedule.holidays.map((h) => h.kind), ["range", "jp-national", "rrule"]);
    const edit = await (await t.request(`/admin/schedules/${id}`, { cookie })).text();
    assert.ok(edit.includes(YEAR_END_LINE));
  } finally {
    await t.cleanup();
  }
});
