/** Outbox leases: several workers (processes) on one database, crashes, and who may send what. */
import assert from "node:assert/strict";
import { startOutboxWorker, type Transport } from "../../loops/outbox_worker.ts";
import { tempStore } from "../helpers.ts";
import type { Store } from "../../db/client.ts";
import { queueMails } from "./outbox_helpers.ts";

/** A transport that records every send, by the raw's Message-ID. */
function countingTransport(sent: string[], options: { hold?: Promise<void> } = {}) {
  let started!: () => void;
  const firstSend = new Promise<void>((r) => started = r);
  const transport: Transport = {
    async send(_envelope, raw) {
      started();
      await options.hold;
      sent.push(new TextDecoder().decode(raw).match(/^Message-ID: (.*)$/m)![1].trim());
    },
    close() {},
  };
  return { transport, firstSend };
}

function outboxStatuses(store: Store) {
  return store.db.selectFrom("outbox").select(["status"]).orderBy("id").execute()
    .then((rows) => rows.map((r) => r.status));
}

Deno.test("outbox lease: a second worker starting up leaves the first one's in-flight mail alone", async () => {
  const { store, cleanup } = await tempStore();
  const sent: string[] = [];
  let release!: () => void;
  const first = countingTransport(sent, { hold: new Promise<void>((r) => release = r) });
  const second = countingTransport(sent);
  const a = await startOutboxWorker(store, first.transport);
  let b;
  try {
    await queueMails(store, 1);
    a.wake();
    await first.firstSend; // the mail is at the relay, not yet accepted
    b = await startOutboxWorker(store, second.transport);
    b.wake();
    await b.idle();
    assert.deepEqual(sent, [], "the second worker sent the first one's in-flight mail");
    release();
    await a.idle();
    assert.equal(sent.length, 1);
    assert.deepEqual(await outboxStatuses(store), ["sent"]);
  } finally {
    release();
    await a.stop();
    await b?.stop();
    await cleanup();
  }
});

Deno.test("outbox lease: a dead worker's mail is taken over once its lease runs out, never before", async () => {
  const { store, cleanup } = await tempStore();
  const sent: string[] = [];
  let now = 1_000_000;
  const { transport } = countingTransport(sent);
  const worker = await startOutboxWorker(store, transport, { now: () => now, leaseMs: 60_000 });
  try {
    await worker.stop(); // queue without it sending
    await queueMails(store, 1);
    await store.writeTx((tx) =>
      tx.updateTable("outbox")
        .set({ status: "sending", lease_owner: "elsewhere/1/dead", lease_until: now + 30_000 })
        .execute()
    );
    const taker = await startOutboxWorker(store, transport, { now: () => now, leaseMs: 60_000 });
    try {
      taker.wake();
      await taker.idle();
      assert.deepEqual(sent, [], "a live lease was taken over");
      now += 30_000;
      taker.wake();
      await taker.idle();
      assert.equal(sent.length, 1);
      assert.deepEqual(await outboxStatuses(store), ["sent"]);
    } finally {
      await taker.stop();
    }
  } finally {
    await cleanup();
  }
});

Deno.test("outbox lease: several workers on one database send each mail exactly once", async () => {
  const { store, cleanup } = await tempStore();
  const sent: string[] = [];
  const transport: Transport = {
    async send(_envelope, raw) {
      // Yield a little, so the workers interleave their claims and sends.
      await new Promise((r) => setTimeout(r, Math.random() * 5));
      sent.push(new TextDecoder().decode(raw).match(/^Message-ID: (.*)$/m)![1].trim());
    },
    close() {},
  };
  const workers = await Promise.all([1, 2, 3].map(() => startOutboxWorker(store, transport)));
  try {
    await queueMails(store, 12);
    workers.forEach((w) => w.wake());
    await Promise.all(workers.map((w) => w.idle()));
    assert.equal(sent.length, 12);
    assert.equal(new Set(sent).size, 12);
    assert.deepEqual(await outboxStatuses(store), Array(12).fill("sent"));
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await cleanup();
  }
});

Deno.test("outbox lease: a send that outlasts the lease keeps it by renewing it", async () => {
  const { store, cleanup } = await tempStore();
  const sent: string[] = [];
  let release!: () => void;
  const slow = countingTransport(sent, { hold: new Promise<void>((r) => release = r) });
  const other = countingTransport(sent);
  const leaseMs = 1_000;
  const a = await startOutboxWorker(store, slow.transport, { leaseMs });
  const b = await startOutboxWorker(store, other.transport, { leaseMs });
  try {
    await queueMails(store, 1);
    a.wake();
    await slow.firstSend;
    // Three lease lengths pass while the relay holds the mail; the other worker keeps looking.
    for (let i = 0; i < 6; i++) {
      await new Promise((r) => setTimeout(r, leaseMs / 2));
      b.wake();
      await b.idle();
    }
    assert.deepEqual(sent, [], "the other worker took over a mail still being sent");
    release();
    await a.idle();
    assert.equal(sent.length, 1);
  } finally {
    release();
    await a.stop();
    await b.stop();
    await cleanup();
  }
});
