import assert from "node:assert/strict";
import type { Store } from "../../db/client.ts";
import {
  assignDepartmentSchedule,
  deleteSchedule,
  departmentsUsingSchedule,
  findSchedule,
  insertSchedule,
  listDepartmentSchedules,
  listSchedules,
  loadDepartmentSchedule,
  loadDepartmentSchedules,
  updateSchedule,
} from "../../db/schedules.ts";
import type { Schedule } from "../../domain/schedule.ts";
import { withStore } from "./seed.ts";

const WEEKDAYS: Schedule = {
  timeZone: "Asia/Tokyo",
  weekly: Object.fromEntries([1, 2, 3, 4, 5].map((d) => [d, [{ start: "09:00", end: "18:00" }]])),
  holidays: [
    { kind: "yearly", month: 1, day: 1, name: "元日" },
    { kind: "rrule", rrule: "FREQ=YEARLY;BYMONTH=1;BYDAY=2MO", start: "2026-01-01" },
  ],
};

async function addDepartment(store: Store, slug: string) {
  return await store.writeTx(async (tx) => {
    const { id } = await tx.insertInto("departments")
      .values({ name: slug, slug, created_at: 0, schedule_id: null })
      .returning("id").executeTakeFirstOrThrow();
    return id;
  });
}

Deno.test("schedules: a saved schedule comes back with its hours and holidays, listed by name", () =>
  withStore(async (store) => {
    const b = await store.writeTx((tx) =>
      insertSchedule(tx, { name: "b 窓口", ...WEEKDAYS }, 1_000)
    );
    const a = await store.writeTx((tx) =>
      insertSchedule(tx, { name: "a 24h", timeZone: "UTC", weekly: {}, holidays: [] }, 1_000)
    );
    assert.deepEqual(await findSchedule(store.db, b), {
      id: b,
      name: "b 窓口",
      ...WEEKDAYS,
      updatedAt: 1_000,
    });
    assert.deepEqual((await listSchedules(store.db)).map((s) => s.id), [a, b]);
    assert.equal(await findSchedule(store.db, b + 100), null);
  }));

Deno.test("schedules: an update replaces the schedule; an unknown id reports false", () =>
  withStore(async (store) => {
    const id = await store.writeTx((tx) =>
      insertSchedule(tx, { name: "窓口", ...WEEKDAYS }, 1_000)
    );
    const changed = { name: "窓口 (夏)", timeZone: "Asia/Tokyo", weekly: {}, holidays: [] };
    assert.equal(await store.writeTx((tx) => updateSchedule(tx, id, changed, 2_000)), true);
    assert.equal(await store.writeTx((tx) => updateSchedule(tx, id + 1, changed, 2_000)), false);
    assert.deepEqual(await findSchedule(store.db, id), { id, ...changed, updatedAt: 2_000 });
  }));

Deno.test("schedules: a department without a schedule is always open (null)", () =>
  withStore(async (store) => {
    const other = await addDepartment(store, "billing");
    const id = await store.writeTx((tx) => insertSchedule(tx, { name: "窓口", ...WEEKDAYS }, 0));
    await store.writeTx((tx) => assignDepartmentSchedule(tx, other, id));
    const [first] = await listDepartmentSchedules(store.db);
    assert.equal(first.scheduleId, null);
    assert.equal(await loadDepartmentSchedule(store.db, first.id), null);
    const loaded = await loadDepartmentSchedule(store.db, other);
    assert.deepEqual(
      [loaded?.timeZone, loaded?.weekly, loaded?.holidays],
      [WEEKDAYS.timeZone, WEEKDAYS.weekly, WEEKDAYS.holidays],
    );
    const map = await loadDepartmentSchedules(store.db, [first.id, other, 999]);
    assert.deepEqual([...map.keys()], [first.id, other, 999]);
    assert.equal(map.get(first.id), null);
    assert.equal(map.get(999), null);
    assert.equal(map.get(other)?.timeZone, "Asia/Tokyo");
    assert.equal((await loadDepartmentSchedules(store.db, [])).size, 0);
  }));

Deno.test("schedules: deleting a schedule frees the departments that followed it and names them", () =>
  withStore(async (store) => {
    const a = await addDepartment(store, "a");
    const b = await addDepartment(store, "b");
    const c = await addDepartment(store, "c");
    const [gone, kept] = await store.writeTx(async (tx) => [
      await insertSchedule(tx, { name: "消す", ...WEEKDAYS }, 0),
      await insertSchedule(tx, { name: "残す", ...WEEKDAYS }, 0),
    ]);
    await store.writeTx(async (tx) => {
      await assignDepartmentSchedule(tx, a, gone);
      await assignDepartmentSchedule(tx, b, gone);
      await assignDepartmentSchedule(tx, c, kept);
    });
    assert.deepEqual((await departmentsUsingSchedule(store.db, gone)).sort(), [a, b]);
    const freed = await store.writeTx((tx) => deleteSchedule(tx, gone));
    assert.deepEqual(freed.sort(), [a, b]);
    assert.equal(await findSchedule(store.db, gone), null);
    const byId = new Map(
      (await listDepartmentSchedules(store.db)).map((d) => [d.id, d.scheduleId]),
    );
    assert.deepEqual([byId.get(a), byId.get(b), byId.get(c)], [null, null, kept]);
  }));

Deno.test("schedules: stored JSON that no longer parses reads as no hours and no holidays", () =>
  withStore(async (store) => {
    const id = await store.writeTx((tx) => insertSchedule(tx, { name: "壊れた", ...WEEKDAYS }, 0));
    await store.writeTx((tx) =>
      tx.updateTable("schedules").set({ weekly_json: "{", holidays_json: "null" })
        .where("id", "=", id).execute()
    );
    const s = await findSchedule(store.db, id);
    assert.deepEqual([s?.weekly, s?.holidays], [{}, []]);
  }));
