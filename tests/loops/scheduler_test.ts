import assert from "node:assert/strict";
import { startScheduler, type TimerHandler } from "../../loops/scheduler.ts";
import { testRuntime } from "../runtime.ts";
import { listTicketTimers, scheduleTimer } from "../../db/timers.ts";
import { tempStore } from "../helpers.ts";
import { fakeClock } from "../fake_clock.ts";
import type { Store } from "../../db/client.ts";

function arm(store: Store, kind: string, dueAt: number, key = "", rearm = false) {
  return store.writeTx((tx) => scheduleTimer(tx, { kind, ticketId: 1, key, dueAt, rearm, now: 0 }));
}

Deno.test("scheduler: a due timer fires once, in the same transaction as its effect", async () => {
  const { store, cleanup } = await tempStore();
  let now = 1_000;
  const fired: string[] = [];
  const handlers: Record<string, TimerHandler> = {
    "test.note": async ({ tx }, t) => {
      fired.push(t.key);
      await tx.insertInto("events").values({
        ticket_id: 1,
        agent_id: null,
        kind: "fired",
        created_at: now,
      })
        .execute();
    },
  };
  const scheduler = startScheduler(testRuntime(store), handlers, { now: () => now });
  try {
    await arm(store, "test.note", 5_000, "warning");
    await arm(store, "test.note", 9_000, "breach");
    assert.equal(await scheduler.tick(), 0);
    now = 5_000;
    assert.equal(await scheduler.tick(), 1);
    assert.equal(await scheduler.tick(), 0, "a second tick does not fire it again");
    now = 10_000;
    await Promise.all([scheduler.tick(), scheduler.tick()]);
    assert.deepEqual(fired, ["warning", "breach"]);
    const events = await store.db.selectFrom("events").select("kind").execute();
    assert.equal(events.length, 2);
  } finally {
    await scheduler.stop();
    await cleanup();
  }
});

Deno.test("scheduler: after a restart nothing fires twice and nothing due is missed", async () => {
  const { store, cleanup } = await tempStore();
  let now = 0;
  const fired: string[] = [];
  const handlers = {
    "test.x": (_tx: unknown, t: { key: string }) => (fired.push(t.key), Promise.resolve()),
  };
  try {
    await arm(store, "test.x", 100, "a");
    await arm(store, "test.x", 200, "b");
    let s = startScheduler(testRuntime(store), handlers, { now: () => now });
    now = 150;
    await s.tick();
    await s.stop();
    // "Restart": a new scheduler over the same database, later than both due times.
    now = 500;
    s = startScheduler(testRuntime(store), handlers, { now: () => now });
    await s.idle();
    await s.tick();
    await s.stop();
    assert.deepEqual(fired, ["a", "b"]);
  } finally {
    await cleanup();
  }
});

Deno.test("scheduler: a failing handler leaves its timer armed for a retry, others still fire", async () => {
  const { store, cleanup } = await tempStore();
  const now = 1_000;
  let fail = true;
  const fired: string[] = [];
  const handlers: Record<string, TimerHandler> = {
    "test.y": (_tx, t) => {
      if (t.key === "bad" && fail) return Promise.reject(new Error("handler failed"));
      fired.push(t.key);
      return Promise.resolve();
    },
  };
  const scheduler = startScheduler(testRuntime(store), handlers, {
    now: () => now,
    onError: () => {},
  });
  try {
    await arm(store, "test.y", 500, "bad");
    await arm(store, "test.y", 600, "good");
    await scheduler.tick();
    assert.deepEqual(fired, ["good"]);
    const bad = (await listTicketTimers(store.db, 1)).find((t) => t.key === "bad")!;
    assert.equal(bad.firedAt, null);
    assert.equal(bad.dueAt, now + 60_000);
    fail = false;
  } finally {
    await scheduler.stop();
    await cleanup();
  }
});

Deno.test("scheduler: re-arming moves an unfired timer; a fired one re-fires only when rearmed", async () => {
  const { store, cleanup } = await tempStore();
  let now = 0;
  let count = 0;
  const scheduler = startScheduler(testRuntime(store), {
    "test.z": () => (count++, Promise.resolve()),
  }, {
    now: () => now,
  });
  try {
    await arm(store, "test.z", 100);
    await arm(store, "test.z", 300); // moved before it fired
    now = 200;
    assert.equal(await scheduler.tick(), 0);
    now = 300;
    assert.equal(await scheduler.tick(), 1);
    await arm(store, "test.z", 400); // fired: stays fired
    now = 500;
    assert.equal(await scheduler.tick(), 0);
    await arm(store, "test.z", 600, "", true); // a new cycle
    now = 600;
    assert.equal(await scheduler.tick(), 1);
    assert.equal(count, 2);
  } finally {
    await scheduler.stop();
    await cleanup();
  }
});

Deno.test("scheduler: it wakes by itself at the next due instant", async () => {
  const { store, cleanup } = await tempStore();
  const time = fakeClock(1_000_000);
  let fired = 0;
  const scheduler = startScheduler(testRuntime(store, { now: time.now }), {
    "test.w": () => (fired++, Promise.resolve()),
  }, { now: time.now, setTimer: time.setTimer });
  try {
    await scheduler.idle();
    await arm(store, "test.w", time.now() + 50);
    scheduler.wake();
    await scheduler.idle(); // it read the due time and sleeps toward it
    await time.clock.tickAsync(49);
    await scheduler.idle();
    assert.equal(fired, 0, "not before it is due");
    await time.clock.tickAsync(1);
    await scheduler.idle();
    assert.equal(fired, 1);
    assert.equal(time.clock.countTimers(), 0, "nothing left to wake for");
  } finally {
    await scheduler.stop();
    await cleanup();
  }
});
