import assert from "node:assert/strict";
import { startWakeLoop } from "../../loops/wake_loop.ts";

Deno.test("wake loop: a wake during the sleep computation runs another pass", async () => {
  let passes = 0;
  let releaseNextDue: (() => void) | null = null;
  const loop = startWakeLoop({
    name: "test",
    work: () => (passes++, Promise.resolve()),
    // The first sleep computation is slow (a remote database, say); wake() lands during it.
    nextDue: () =>
      passes === 1 ? new Promise((r) => (releaseNextDue = () => r(null))) : Promise.resolve(null),
    now: Date.now,
  });
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(passes, 1);
  loop.wake();
  releaseNextDue!();
  await loop.idle();
  assert.equal(passes, 2, "the wake that came during sleep() was lost");
  await loop.stop();
});

Deno.test("wake loop: it sleeps until the next due instant, then works", async () => {
  let passes = 0;
  const due = Date.now() + 40;
  const loop = startWakeLoop({
    name: "test",
    work: () => (passes++, Promise.resolve()),
    nextDue: () => Promise.resolve(passes < 2 ? due : null),
    now: Date.now,
  });
  await new Promise((r) => setTimeout(r, 150));
  await loop.idle();
  assert.equal(passes, 2);
  await loop.stop();
});
