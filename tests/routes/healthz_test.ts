/** GET /healthz: readable and writable database, 503 with a generic message when it is not. */
import assert from "node:assert/strict";
import { createApp } from "../../routes/mod.tsx";
import type { Store } from "../../db/client.ts";
import { tempStore, testConfig } from "../helpers.ts";

const ORIGIN = "http://localhost";

/** The store, with every write failing as on a full disk while `full` is set; counts writes. */
function diskFullStore(store: Store) {
  const state = { full: false, writes: 0 };
  const faulty: Store = {
    ...store,
    writeTx(fn) {
      state.writes++;
      if (!state.full) return store.writeTx(fn);
      return Promise.reject(
        Object.assign(new Error("SQLITE_FULL: database or disk is full: /data/x.db"), {
          code: "SQLITE_FULL",
        }),
      );
    },
  };
  return { store: faulty, state };
}

Deno.test("healthz: a writable database is ok", async () => {
  const { store, dir, cleanup } = await tempStore();
  try {
    const app = createApp({ store, config: testConfig(dir), outbox: { wake() {} } });
    const res = await app.request(`${ORIGIN}/healthz`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type")!, /application\/json/);
    const body = await res.json();
    assert.equal(body.ok, true);
    assert.deepEqual(body.db, { ok: true, writable: true });
  } finally {
    await cleanup();
  }
});

Deno.test("healthz: a database that cannot be written (disk full) is a 503, detail only in the log", async () => {
  const { store: real, dir, cleanup } = await tempStore();
  const { store, state } = diskFullStore(real);
  let now = 1_000_000;
  const logged: unknown[][] = [];
  const error = console.error;
  console.error = (...args: unknown[]) => void logged.push(args);
  try {
    const app = createApp({
      store,
      config: testConfig(dir),
      outbox: { wake() {} },
      now: () => now,
    });
    state.full = true;
    let res = await app.request(`${ORIGIN}/healthz`);
    assert.equal(res.status, 503);
    const text = await res.text();
    assert.deepEqual(JSON.parse(text), {
      ok: false,
      db: { ok: false, writable: false, error: "database not writable" },
      smtp: null,
    });
    assert.doesNotMatch(text, /\/data|SQLITE/);
    assert.equal(logged.length, 1);

    // The probe is cached for a few seconds: a burst of checks costs one write.
    const writes = state.writes;
    state.full = false;
    res = await app.request(`${ORIGIN}/healthz`);
    assert.equal(res.status, 503);
    assert.equal(state.writes, writes);

    now += 10_000;
    res = await app.request(`${ORIGIN}/healthz`);
    assert.equal(res.status, 200);
    assert.deepEqual((await res.json()).db, { ok: true, writable: true });
    assert.equal(state.writes, writes + 1);
  } finally {
    console.error = error;
    await cleanup();
  }
});
