import assert from "node:assert/strict";
import { sql } from "kysely";
import { createGroupWriter } from "../../db/group_commit.ts";
import type { Tx } from "../../db/client.ts";
import { tempStore } from "../helpers.ts";
import { fakeClock } from "../fake_clock.ts";

async function countCustomers(store: Awaited<ReturnType<typeof tempStore>>["store"]) {
  const { n } = await store.db.selectFrom("customers")
    .select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return Number(n);
}

function insertCustomer(email: string) {
  return (
    tx: Parameters<Parameters<Awaited<ReturnType<typeof tempStore>>["store"]["writeTx"]>[0]>[0],
  ) =>
    tx.insertInto("customers").values({ email, name: email, created_at: 0, updated_at: 0 })
      .returning("id").executeTakeFirstOrThrow();
}

Deno.test("group commit: concurrent writes commit together; a failing one rolls back alone", async () => {
  const { store, cleanup } = await tempStore();
  try {
    const results = await Promise.allSettled([
      store.writeTx(insertCustomer("a@example.com")),
      store.writeTx(async (tx) => {
        await insertCustomer("b@example.com")(tx);
        throw new Error("job b fails after writing");
      }),
      store.writeTx(insertCustomer("c@example.com")),
      store.writeTx(insertCustomer("a@example.com")), // unique violation: rejected alone
    ]);
    assert.deepEqual(results.map((r) => r.status), [
      "fulfilled",
      "rejected",
      "fulfilled",
      "rejected",
    ]);
    const emails =
      (await store.db.selectFrom("customers").select("email").orderBy("email").execute())
        .map((r) => r.email);
    assert.deepEqual(emails, ["a@example.com", "c@example.com"]);
  } finally {
    await cleanup();
  }
});

Deno.test("group commit: a write resolves only after it is visible to other connections", async () => {
  const { store, cleanup } = await tempStore();
  try {
    const release = store.announceWrite();
    const pending = Array.from(
      { length: 20 },
      (_, i) =>
        store.writeTx(insertCustomer(`u${i}@example.com`)).then(async () => {
          // Read through the pool, not the writer's transaction.
          assert.ok(await countCustomers(store) >= 1);
        }),
    );
    release();
    await Promise.all(pending);
    assert.equal(await countCustomers(store), 20);
  } finally {
    await cleanup();
  }
});

Deno.test("group commit: the writer lingers for announced writes, and stops as soon as they are queued", async () => {
  const { store, cleanup } = await tempStore();
  try {
    // The linger runs on a fake clock: it ends only by a wake-up or when the test moves time.
    const time = fakeClock();
    const writer = createGroupWriter(store.db, {
      lingerMs: 2000,
      now: time.now,
      setTimer: time.setTimer,
    });
    let batches = 0;
    const counting = (email: string) => async (tx: Tx) => {
      const { n } = await sql<{ n: number }>`select count(*) as n from customers`.execute(tx)
        .then((r) => r.rows[0]);
      if (Number(n) === 0) batches++;
      return insertCustomer(email)(tx);
    };
    const first = writer.announce();
    const second = writer.announce();
    const a = writer.write(counting("x@example.com"));
    let aDone = false;
    a.then(() => (aDone = true));
    first();
    // The writer waits for the second announced write instead of committing the first alone…
    await time.clock.tickAsync(20);
    assert.equal(time.clock.countTimers(), 1, "lingering on its timer");
    assert.equal(aDone, false);
    second();
    const b = writer.write(counting("y@example.com"));
    // …and commits both in one batch as soon as it is queued, not after lingerMs.
    await time.clock.tickAsync(0);
    assert.equal(time.clock.countTimers(), 0, "woken when the last announced write came");
    await Promise.all([a, b]);
    assert.equal(time.now(), 20, "no fake time passed: the linger timer never fired");
    assert.equal(batches, 1, "both writes saw an empty table: one transaction");
    assert.equal(await countCustomers(store), 2);
    // A release without a write also ends the linger.
    const third = writer.announce();
    const c = writer.write(insertCustomer("z@example.com"));
    await time.clock.tickAsync(10);
    assert.equal(time.clock.countTimers(), 1, "lingering for the announced write");
    third();
    await time.clock.tickAsync(0);
    assert.equal(time.clock.countTimers(), 0, "woken by the release");
    await c;
    assert.equal(time.now(), 30);
    await writer.drained();
  } finally {
    await cleanup();
  }
});

Deno.test("group commit: an announced write that never comes holds the batch for lingerMs at most", async () => {
  const { store, cleanup } = await tempStore();
  try {
    const time = fakeClock();
    const writer = createGroupWriter(store.db, {
      lingerMs: 5,
      now: time.now,
      setTimer: time.setTimer,
    });
    const forgotten = writer.announce();
    const a = writer.write(insertCustomer("x@example.com"));
    await time.clock.tickAsync(4);
    assert.equal(time.clock.countTimers(), 1, "still lingering at 4 ms");
    await time.clock.tickAsync(1);
    assert.equal(time.clock.countTimers(), 0, "gave up lingering at 5 ms");
    await a;
    assert.equal(await countCustomers(store), 1);
    forgotten();
    await writer.drained();
  } finally {
    await cleanup();
  }
});
