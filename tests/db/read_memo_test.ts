/** db/read_memo.ts: a kept read lasts exactly until something is committed, by anyone. */
import assert from "node:assert/strict";
import Database from "libsql";
import { openStore } from "../../db/client.ts";
import { createReadMemo } from "../../db/read_memo.ts";
import { tempStore } from "../helpers.ts";

Deno.test("read memo: kept until a commit — this process's writer, another connection, another store", async () => {
  const t = await tempStore();
  const other = await openStore(`file:${t.dir}/test.db`);
  const outside = new Database(`${t.dir}/test.db`);
  try {
    let reads = 0;
    const count = () =>
      t.store.memo("departments", async () => {
        reads++;
        const rows = await t.store.db.selectFrom("departments").select("id").execute();
        return rows.length;
      });
    const before = await count();
    assert.equal(await count(), before);
    assert.equal(reads, 1, "nothing committed: read once");

    const add = (slug: string) => (tx: Parameters<Parameters<typeof t.store.writeTx>[0]>[0]) =>
      tx.insertInto("departments").values({ name: slug, slug, created_at: 0 }).execute();
    await t.store.writeTx(add("a"));
    assert.equal(await count(), before + 1, "this process's commit");
    await other.writeTx(add("b"));
    assert.equal(await count(), before + 2, "another store's commit");
    outside.prepare("insert into departments (name, slug, created_at) values ('c', 'c', 0)").run();
    assert.equal(await count(), before + 3, "a plain connection's commit");
    assert.equal(reads, 4);
    assert.equal(await count(), before + 3);
    assert.equal(reads, 4);

    // A rolled-back transaction commits nothing: still kept.
    await assert.rejects(() =>
      t.store.writeTx(async (tx) => {
        await add("d")(tx);
        throw new Error("roll back");
      })
    );
    assert.equal(await count(), before + 3);
  } finally {
    outside.close();
    await other.close();
    await t.cleanup();
  }
});

Deno.test("read memo: a failed read is not kept; keys are apart; the oldest or least used goes first; no version, no keeping", async () => {
  let version = 1;
  let clock = 0;
  const memo = createReadMemo(() => version, { max: 2, maxAgeMs: 5_000, clock: () => clock });
  let n = 0;
  await assert.rejects(() => memo("x", () => Promise.reject(new Error("busy"))));
  assert.equal(await memo("x", () => Promise.resolve(++n)), 1);
  assert.equal(await memo("x", () => Promise.resolve(++n)), 1);
  assert.equal(await memo("y", () => Promise.resolve(++n)), 2);
  assert.equal(await memo("z", () => Promise.resolve(++n)), 3); // x was the least recently used
  assert.equal(await memo("y", () => Promise.resolve(++n)), 2);
  assert.equal(await memo("x", () => Promise.resolve(++n)), 4);
  version++;
  assert.equal(await memo("x", () => Promise.resolve(++n)), 5);
  // Concurrent callers of one key share one read.
  version++;
  const [a, b] = await Promise.all([
    memo("x", () => Promise.resolve(++n)),
    memo("x", () => Promise.resolve(++n)),
  ]);
  assert.equal(a, 6);
  assert.equal(b, 6);

  // Kept at most maxAgeMs.
  assert.equal(await memo("x", () => Promise.resolve(++n)), 6);
  clock += 5_000;
  assert.equal(await memo("x", () => Promise.resolve(++n)), 7);
  n = 6;

  const none = createReadMemo(null);
  assert.equal(await none("x", () => Promise.resolve(++n)), 7);
  assert.equal(await none("x", () => Promise.resolve(++n)), 8);
});

Deno.test("read memo: an in-memory database keeps nothing (its one connection cannot see its own commits)", async () => {
  const store = await openStore("file::memory:");
  try {
    let n = 0;
    assert.equal(await store.memo("k", () => Promise.resolve(++n)), 1);
    assert.equal(await store.memo("k", () => Promise.resolve(++n)), 2);
  } finally {
    await store.close();
  }
});
