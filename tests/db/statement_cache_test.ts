import assert from "node:assert/strict";
import { createClient } from "@libsql/client";
import Database from "libsql";
import { installStatementCache } from "../../db/statement_cache.ts";

installStatementCache(4);

async function withClient(fn: (client: ReturnType<typeof createClient>) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "madoguchi-stmt-" });
  const client = createClient({ url: `file:${dir}/t.db` });
  try {
    await fn(client);
  } finally {
    client.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("statement cache: a connection reuses its prepared statement for the same SQL", () => {
  const db = new Database(":memory:");
  const a = db.prepare("select 1 as x");
  assert.equal(db.prepare("select 1 as x"), a);
  assert.notEqual(db.prepare("select 2 as x"), a);
  db.close();
});

Deno.test("statement cache: the least recently used statement is dropped past the limit", () => {
  const db = new Database(":memory:");
  const first = db.prepare("select 1");
  for (let i = 2; i <= 5; i++) db.prepare(`select ${i}`);
  assert.notEqual(db.prepare("select 1"), first);
  db.close();
});

Deno.test("statement cache: repeated and different statements return the right rows", async () => {
  await withClient(async (client) => {
    await client.execute("create table t (id integer primary key, name text, n real, b blob)");
    for (let i = 0; i < 20; i++) {
      await client.execute({
        sql: "insert into t (name, n, b) values (?, ?, ?)",
        args: [`名前${i}`, i / 2, new Uint8Array([i])],
      });
    }
    for (let i = 0; i < 20; i++) {
      const r = await client.execute({
        sql: "select name, n, b from t where id = ?",
        args: [i + 1],
      });
      assert.deepEqual(r.columns, ["name", "n", "b"]);
      assert.equal(r.rows[0].name, `名前${i}`);
      assert.equal(r.rows[0].n, i / 2);
      assert.deepEqual(new Uint8Array(r.rows[0].b as ArrayBuffer), new Uint8Array([i]));
    }
    const count = await client.execute("select count(*) as c from t");
    assert.equal(count.rows[0].c, 20);
  });
});

Deno.test("statement cache: a statement that failed runs fine the next time", async () => {
  await withClient(async (client) => {
    await client.execute("create table u (email text unique)");
    const insert = { sql: "insert into u (email) values (?) returning rowid", args: ["a@x"] };
    await client.execute(insert);
    await assert.rejects(client.execute(insert));
    const ok = await client.execute({ ...insert, args: ["b@x"] });
    assert.equal(ok.rows.length, 1);
    const all = await client.execute("select email from u order by email");
    assert.deepEqual(all.rows.map((r) => r.email), ["a@x", "b@x"]);
  });
});

Deno.test("statement cache: a cached select * sees a column added later", async () => {
  await withClient(async (client) => {
    await client.execute("create table s (a integer)");
    await client.execute("insert into s (a) values (1)");
    assert.deepEqual((await client.execute("select * from s")).columns, ["a"]);
    await client.execute("alter table s add column b text default 'x'");
    const after = await client.execute("select * from s");
    assert.deepEqual(after.columns, ["a", "b"]);
    assert.equal(after.rows[0].b, "x");
  });
});

Deno.test("statement cache: transactions still commit and roll back", async () => {
  await withClient(async (client) => {
    await client.execute("create table v (x integer)");
    const tx = await client.transaction("write");
    await tx.execute({ sql: "insert into v (x) values (?)", args: [1] });
    await tx.rollback();
    const tx2 = await client.transaction("write");
    await tx2.execute({ sql: "insert into v (x) values (?)", args: [2] });
    await tx2.commit();
    assert.deepEqual((await client.execute("select x from v")).rows.map((r) => r.x), [2]);
  });
});
