import assert from "node:assert/strict";
import { startWakeLoop } from "../../loops/wake_loop.ts";
import { fakeClock } from "../fake_clock.ts";

Deno.test("wake loop: a wake during the sleep computation runs another pass", async () => {
  const time = fakeClock();
  let passes = 0;
  let asked!: () => void;
  const computingSleep = new Promise<void>((r) => (asked = r));
  let releaseNextDue: (() => void) | null = null;
  const loop = startWakeLoop({
    name: "test",
    work: () => (passes++, Promise.resolve()),
    // The first sleep computation is slow (a remote database, say); wake() lands during it.
    nextDue: () => {
      if (passes !== 1) return Promise.resolve(null);
      asked();
      return new Promise((r) => (releaseNextDue = () => r(null)));
    },
    now: time.now,
    setTimer: time.setTimer,
  });
  await computingSleep;
  assert.equal(passes, 1);
  loop.wake();
  releaseNextDue!();
  await loop.idle();
  assert.equal(passes, 2, "the wake that came during sleep() was lost");
  await loop.stop();
});

Deno.test("wake loop: it sleeps until the next due instant, then works", async () => {
  const time = fakeClock(1_000_000);
  let passes = 0;
  const due = time.now() + 40;
  const loop = startWakeLoop({
    name: "test",
    work: () => (passes++, Promise.resolve()),
    nextDue: () => Promise.resolve(passes < 2 ? due : null),
    now: time.now,
    setTimer: time.setTimer,
  });
  try {
    await loop.idle();
    assert.equal(passes, 1);
    await time.clock.tickAsync(39);
    await loop.idle();
    assert.equal(passes, 1, "not before the due instant");
    await time.clock.tickAsync(1);
    await loop.idle();
    assert.equal(passes, 2);
    assert.equal(time.clock.countTimers(), 0, "nothing due: no timer left armed");
  } finally {
    await loop.stop();
  }
});

Deno.test("wake loop: a far-off due instant is slept toward an hour at a time", async () => {
  const time = fakeClock(0);
  const hour = 3_600_000;
  let passes = 0;
  const loop = startWakeLoop({
    name: "test",
    work: () => (passes++, Promise.resolve()),
    nextDue: () => Promise.resolve(5 * hour),
    now: time.now,
    setTimer: time.setTimer,
  });
  try {
    await loop.idle();
    await time.clock.tickAsync(hour - 1);
    await loop.idle();
    assert.equal(passes, 1);
    await time.clock.tickAsync(1);
    await loop.idle();
    assert.equal(passes, 2, "woke after an hour to re-read the clock");
    await time.clock.tickAsync(4 * hour);
    await loop.idle();
    assert.equal(passes, 6);
  } finally {
    await loop.stop();
  }
});

Deno.test("wake loop: after stop it no longer wakes at the due instant", async () => {
  const time = fakeClock(0);
  let passes = 0;
  const loop = startWakeLoop({
    name: "test",
    work: () => (passes++, Promise.resolve()),
    nextDue: () => Promise.resolve(100),
    now: time.now,
    setTimer: time.setTimer,
  });
  await loop.idle();
  await loop.stop();
  assert.equal(time.clock.countTimers(), 0, "stop cancels the sleep");
  await time.clock.tickAsync(1_000);
  loop.wake();
  await loop.idle();
  assert.equal(passes, 1);
  assert.equal(loop.stopped, true);
});

Deno.test("wake loop: a failing pass is retried after a backoff, not at once", async () => {
  let passes = 0;
  const logged: unknown[][] = [];
  const error = console.error;
  console.error = (...args: unknown[]) => logged.push(args);
  const loop = startWakeLoop({
    name: "test",
    work: () => (passes++, Promise.reject(new Error("database or disk is full"))),
    // Work is due now, as a queued mail is when its claim fails.
    nextDue: () => Promise.resolve(Date.now()),
    now: Date.now,
  });
  try {
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(passes, 1, `${passes} passes in 300 ms`);
    assert.equal(logged.length, 1);
    // A wake (new mail committed: the database may be back) still runs a pass at once, quietly.
    loop.wake();
    await loop.idle();
    assert.equal(passes, 2);
    assert.equal(logged.length, 1, "a failure in the same state logged again");
  } finally {
    console.error = error;
    await loop.stop();
  }
});

Deno.test("wake loop: a failing sleep computation is retried too, not left asleep forever", async () => {
  let passes = 0;
  let failNextDue = true;
  const error = console.error;
  console.error = () => {};
  const loop = startWakeLoop({
    name: "test",
    work: () => (passes++, Promise.resolve()),
    nextDue: () => failNextDue ? Promise.reject(new Error("locked")) : Promise.resolve(null),
    now: Date.now,
  });
  try {
    await new Promise((r) => setTimeout(r, 10));
    failNextDue = false;
    // The retry after the first failure comes within the first backoff step (1 s).
    const deadline = Date.now() + 5_000;
    while (passes < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(passes, 2);
  } finally {
    console.error = error;
    await loop.stop();
  }
});
