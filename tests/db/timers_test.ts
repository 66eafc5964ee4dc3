import assert from "node:assert/strict";
import type { Store } from "../../db/client.ts";
import {
  cancelTimers,
  claimTimer,
  dueTimers,
  listTicketTimers,
  nextTimerDue,
  scheduleTimer,
} from "../../db/timers.ts";
import { withStore } from "./seed.ts";

function arm(
  store: Store,
  t: { kind?: string; ticketId?: number | null; key?: string; dueAt: number; rearm?: boolean },
) {
  return store.writeTx((tx) =>
    scheduleTimer(tx, {
      kind: t.kind ?? "test.k",
      ticketId: t.ticketId === undefined ? 1 : t.ticketId,
      key: t.key,
      dueAt: t.dueAt,
      data: { at: t.dueAt },
      rearm: t.rearm,
      now: 0,
    })
  );
}

const claim = (store: Store, id: number, now: number) =>
  store.writeTx((tx) => claimTimer(tx, id, now));

async function rows(store: Store) {
  return await store.db.selectFrom("timers").select(["ticket_id", "kind", "key", "due_at"])
    .select("fired_at").orderBy("id").execute();
}

Deno.test("timers: arming the same ticket, kind and key again moves the unfired timer", () =>
  withStore(async (store) => {
    await arm(store, { dueAt: 500 });
    await arm(store, { dueAt: 300 });
    const timers = await listTicketTimers(store.db, 1);
    assert.equal(timers.length, 1);
    assert.equal(timers[0].dueAt, 300);
    assert.deepEqual(JSON.parse(timers[0].dataJson), { at: 300 }, "the data moves with it");
  }));

Deno.test("timers: a different key, kind, ticket or no ticket is a separate timer", () =>
  withStore(async (store) => {
    await arm(store, { dueAt: 100 });
    await arm(store, { dueAt: 200, key: "breach" });
    await arm(store, { dueAt: 300, kind: "test.other" });
    await arm(store, { dueAt: 400, ticketId: 2 });
    await arm(store, { dueAt: 500, ticketId: null });
    await arm(store, { dueAt: 600, ticketId: null }); // the same ticket-less timer, moved
    assert.deepEqual((await rows(store)).map((r) => [r.ticket_id, r.kind, r.key, r.due_at]), [
      [1, "test.k", "", 100],
      [1, "test.k", "breach", 200],
      [1, "test.other", "", 300],
      [2, "test.k", "", 400],
      [null, "test.k", "", 600],
    ]);
  }));

Deno.test("timers: a fired timer stays fired when armed again, unless re-armed for a new cycle", () =>
  withStore(async (store) => {
    await arm(store, { dueAt: 100 });
    const [t] = await listTicketTimers(store.db, 1);
    assert.equal(await claim(store, t.id, 150), true);
    await arm(store, { dueAt: 200 });
    let [after] = await listTicketTimers(store.db, 1);
    assert.deepEqual([after.dueAt, after.firedAt], [100, 150]);
    await arm(store, { dueAt: 300, rearm: true });
    [after] = await listTicketTimers(store.db, 1);
    assert.deepEqual([after.id, after.dueAt, after.firedAt], [t.id, 300, null]);
    assert.equal(await claim(store, t.id, 300), true, "the new cycle fires again");
  }));

Deno.test("timers: a claimed timer cannot be claimed again", () =>
  withStore(async (store) => {
    await arm(store, { dueAt: 100 });
    const [t] = await listTicketTimers(store.db, 1);
    const results = await Promise.all([claim(store, t.id, 100), claim(store, t.id, 100)]);
    assert.deepEqual(results.sort(), [false, true], "two racing claims: exactly one wins");
    assert.equal(await claim(store, t.id, 200), false);
    assert.equal((await listTicketTimers(store.db, 1))[0].firedAt, 100);
  }));

Deno.test("timers: a timer cannot be claimed before it is due (it was moved meanwhile)", () =>
  withStore(async (store) => {
    await arm(store, { dueAt: 100 });
    const [t] = await listTicketTimers(store.db, 1);
    await arm(store, { dueAt: 900 });
    assert.equal(await claim(store, t.id, 100), false);
    assert.equal(await claim(store, t.id, 899), false);
    assert.equal(await claim(store, t.id, 900), true);
  }));

Deno.test("timers: due timers are the unfired ones at or before now, earliest first, capped", () =>
  withStore(async (store) => {
    await arm(store, { dueAt: 300, key: "c" });
    await arm(store, { dueAt: 100, key: "a" });
    await arm(store, { dueAt: 200, key: "b1" });
    await arm(store, { dueAt: 200, key: "b2" }); // same instant: armed later, fires later
    await arm(store, { dueAt: 50, key: "fired" });
    await arm(store, { dueAt: 301, key: "future" });
    const fired = (await listTicketTimers(store.db, 1)).find((t) => t.key === "fired")!;
    await claim(store, fired.id, 60);
    const due = await dueTimers(store.db, 300, 10);
    assert.deepEqual(due.map((t) => t.key), ["a", "b1", "b2", "c"]);
    assert.deepEqual(due[0].data, { at: 100 });
    assert.deepEqual((await dueTimers(store.db, 300, 2)).map((t) => t.key), ["a", "b1"]);
    assert.deepEqual(await dueTimers(store.db, 99, 10), []);
  }));

Deno.test("timers: the next due instant is the earliest unfired timer, or null", () =>
  withStore(async (store) => {
    assert.equal(await nextTimerDue(store.db), null);
    await arm(store, { dueAt: 500, key: "late" });
    await arm(store, { dueAt: 200, key: "early" });
    assert.equal(await nextTimerDue(store.db), 200);
    const early = (await listTicketTimers(store.db, 1)).find((t) => t.key === "early")!;
    await claim(store, early.id, 200);
    assert.equal(await nextTimerDue(store.db), 500, "a fired timer is no longer due");
    await store.writeTx((tx) => cancelTimers(tx, 1, ["test.k"]));
    assert.equal(await nextTimerDue(store.db), null);
  }));

Deno.test("timers: cancelling removes only the ticket's unfired timers of the given kinds", () =>
  withStore(async (store) => {
    await arm(store, { dueAt: 100, kind: "sla.warning" });
    await arm(store, { dueAt: 200, kind: "sla.breach" });
    await arm(store, { dueAt: 300, kind: "reminder" });
    await arm(store, { dueAt: 400, kind: "sla.breach", ticketId: 2 });
    await arm(store, { dueAt: 50, kind: "sla.warning", key: "fired" });
    const fired = (await listTicketTimers(store.db, 1)).find((t) => t.key === "fired")!;
    await claim(store, fired.id, 50);
    await store.writeTx((tx) => cancelTimers(tx, 1, ["sla.warning", "sla.breach"]));
    await store.writeTx((tx) => cancelTimers(tx, 1, [])); // no kinds: nothing
    assert.deepEqual((await rows(store)).map((r) => [r.ticket_id, r.kind, r.key]), [
      [1, "reminder", ""],
      [2, "sla.breach", ""],
      [1, "sla.warning", "fired"],
    ]);
  }));
