/** The outbox when the database cannot be written: no resend, no busy loop, recovery in-process. */
import assert from "node:assert/strict";
import { startOutboxWorker, type Transport } from "../../loops/outbox_worker.ts";
import type { Store } from "../../db/client.ts";
import { tempStore } from "../helpers.ts";
import { queueMails } from "./outbox_helpers.ts";

/** The store with a switch that makes every write fail as a full disk does. */
function faultyStore(store: Store) {
  const state = { failing: false, attempts: 0 };
  const faulty: Store = {
    ...store,
    writeTx(fn) {
      if (!state.failing) return store.writeTx(fn);
      state.attempts++;
      return Promise.reject(
        Object.assign(new Error("SQLITE_FULL: database or disk is full"), { code: "SQLITE_FULL" }),
      );
    },
  };
  return { store: faulty, state };
}

async function waitFor(what: string, condition: () => Promise<boolean>, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  while (!await condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function statuses(store: Store) {
  return store.db.selectFrom("outbox").select("status").orderBy("id").execute()
    .then((rows) => rows.map((r) => r.status));
}

Deno.test("outbox faults: mail the relay accepted is recorded as sent once the disk has room, never resent", async () => {
  const { store: real, cleanup } = await tempStore();
  const { store, state } = faultyStore(real);
  let sends = 0;
  const transport: Transport = {
    send() {
      sends++;
      state.failing = true; // the disk fills while the relay is accepting
      return Promise.resolve();
    },
    close() {},
  };
  const worker = await startOutboxWorker(store, transport);
  try {
    await queueMails(real, 1);
    worker.wake();
    await worker.idle();
    assert.equal(sends, 1);
    assert.deepEqual(await statuses(real), ["sending"]);
    // More wakes while the disk is full (new mail elsewhere, timers): nothing goes out again.
    for (let i = 0; i < 3; i++) {
      worker.wake();
      await worker.idle();
    }
    state.failing = false;
    await waitFor("the sent mail to be recorded", async () => (await statuses(real))[0] === "sent");
    worker.wake();
    await worker.idle();
    assert.equal(sends, 1);
  } finally {
    await worker.stop();
    await cleanup();
  }
});

Deno.test("outbox faults: a database that refuses writes is retried with backoff, one log line per state change", async () => {
  const { store: real, cleanup } = await tempStore();
  const { store, state } = faultyStore(real);
  let sends = 0;
  const transport: Transport = {
    send: () => (sends++, Promise.resolve()),
    close() {},
  };
  const logged: string[] = [];
  const error = console.error;
  console.error = (...args: unknown[]) => logged.push(args.map(String).join(" "));
  const worker = await startOutboxWorker(store, transport);
  try {
    state.failing = true;
    await queueMails(real, 1); // through the real store: the mail is there, claiming it fails
    worker.wake();
    await new Promise((r) => setTimeout(r, 1_500));
    // Retrying at once made thousands of attempts (and log lines) in this time.
    assert.ok(state.attempts <= 3, `${state.attempts} write attempts in 1.5 s`);
    assert.equal(logged.length, 1, logged.join("\n"));
    assert.match(logged[0], /^outbox: pass failed, retrying in 1 s.*disk is full/s);
    state.failing = false;
    await waitFor("the mail to be sent", async () => (await statuses(real))[0] === "sent");
    assert.equal(sends, 1);
    assert.equal(logged.length, 2, logged.join("\n"));
    assert.match(logged[1], /outbox: recovered/);
  } finally {
    console.error = error;
    await worker.stop();
    await cleanup();
  }
});
