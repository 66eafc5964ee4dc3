import assert from "node:assert/strict";
import { sql } from "kysely";
import { createGroupWriter } from "../../db/group_commit.ts";
import type { Tx } from "../../db/client.ts";
import { tempStore } from "../helpers.ts";

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
    const writer = createGroupWriter(store.db, { lingerMs: 2000 });
    let batches = 0;
    const counting = (email: string) => async (tx: Tx) => {
      const { n } = await sql<{ n: number }>`select count(*) as n from customers`.execute(tx)
        .then((r) => r.rows[0]);
      if (Number(n) === 0) batches++;
      return insertCustomer(email)(tx);
    };
    const first = writer.announce();
    const second = writer.announce();
    const started = performance.now();
    const a = writer.write(counting("x@example.com"));
    first();
    // The writer waits for the second announced write instead of committing the first alone…
    await new Promise((r) => setTimeout(r, 20));
    second();
    const b = writer.write(counting("y@example.com"));
    await Promise.all([a, b]);
    // …and commits both in one batch as soon as it is queued, not after lingerMs.
    assert.ok(performance.now() - started < 1000, "woken when the last announced write came");
    assert.equal(batches, 1, "both writes saw an empty table: one transaction");
    assert.equal(await countCustomers(store), 2);
    // A release without a write also ends the linger.
    const third = writer.announce();
    const c = writer.write(insertCustomer("z@example.com"));
    const t0 = performance.now();
    setTimeout(third, 10);
    await c;
    assert.ok(performance.now() - t0 < 1000);
    await writer.drained();
  } finally {
    await cleanup();
  }
});
