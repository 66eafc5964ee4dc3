import assert from "node:assert/strict";
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
