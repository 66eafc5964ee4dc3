/**
 * db/embedded.ts answers as @libsql/client did (rows, blobs, arguments, errors, transactions),
 * which the rest of the app was written against: each case runs through both and compares.
 */
import assert from "node:assert/strict";
import { createClient } from "@libsql/client";
import { LibsqlDialect } from "@libsql/kysely-libsql";
import { Kysely, sql } from "kysely";
import { EmbeddedDialect, filePath } from "../../db/embedded.ts";

// deno-lint-ignore no-explicit-any
type AnyDb = Kysely<any>;

async function both(fn: (db: AnyDb, name: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "madoguchi-embedded-" });
  const client = createClient({ url: `file:${dir}/client.db` });
  // deno-lint-ignore no-explicit-any
  const viaClient = new Kysely({ dialect: new LibsqlDialect({ client: client as any }) });
  const viaEngine = new Kysely({
    dialect: new EmbeddedDialect(`file:${dir}/engine.db`, { timeout: 100 }),
  });
  try {
    await fn(viaClient, "client");
    await fn(viaEngine, "embedded");
  } finally {
    await viaClient.destroy();
    client.close();
    await viaEngine.destroy();
    await Deno.remove(dir, { recursive: true });
  }
}

async function results(fn: (db: AnyDb) => Promise<unknown>) {
  const out: unknown[] = [];
  await both(async (db) => {
    out.push(await fn(db));
  });
  return out;
}

Deno.test("embedded: rows, duplicate names, integers, reals, text and blobs read as the client's", async () => {
  const [client, engine] = await results(async (db) => {
    await sql`create table a (id integer primary key, name text, n real, b blob, big integer)`
      .execute(db);
    await sql`create table c (id integer primary key, a_id integer, name text)`.execute(db);
    await sql`insert into a (name, n, b, big) values (${"名前"}, ${1.5}, ${new Uint8Array([
      1,
      2,
      3,
    ])}, ${2 ** 52})`.execute(db);
    await sql`insert into c (a_id, name) values (1, 'other')`.execute(db);
    const joined = await sql`select * from a join c on c.a_id = a.id`.execute(db);
    const row = joined.rows[0] as Record<string, unknown>;
    return {
      keys: Object.keys(row),
      name: row.name,
      id: row.id,
      n: row.n,
      big: row.big,
      blob: row.b instanceof ArrayBuffer ? [...new Uint8Array(row.b)] : "not an ArrayBuffer",
      nulls: (await sql`select null as x, 0 as zero`.execute(db)).rows,
    };
  });
  assert.deepEqual(engine, client);
  // The first column of a name wins: a's id and name, not c's.
  assert.deepEqual((engine as { id: number; name: string }).name, "名前");
});

Deno.test("embedded: arguments are converted as the client converts them", async () => {
  const [client, engine] = await results(async (db) => {
    const at = new Date(Date.UTC(2026, 11, 1));
    const r = await sql`select ${true} as t, ${false} as f, ${at} as d, ${
      new Uint8Array([9]).buffer
    } as ab, typeof(${3}) as kind`.execute(db);
    const row = r.rows[0] as Record<string, unknown>;
    const refused = await sql`select ${undefined} as u`.execute(db).then(
      () => "accepted",
      (e) => `${e.name}: ${e.message}`,
    );
    const nan = await sql`select ${NaN} as u`.execute(db).then(() => "accepted", (e) => e.name);
    return { ...row, ab: [...new Uint8Array(row.ab as ArrayBuffer)], refused, nan };
  });
  assert.deepEqual(engine, client);
});

Deno.test("embedded: writes report affected rows and the insert id; returning gives rows", async () => {
  const [client, engine] = await results(async (db) => {
    await sql`create table t (id integer primary key, v text)`.execute(db);
    const ins = await db.insertInto("t").values([{ v: "a" }, { v: "b" }]).executeTakeFirst();
    const upd = await db.updateTable("t").set({ v: "c" }).executeTakeFirst();
    const ret = await db.insertInto("t").values({ v: "d" }).returning(["id", "v"]).execute();
    return {
      inserted: ins.numInsertedOrUpdatedRows ?? null,
      insertId: ins.insertId,
      updated: upd.numUpdatedRows,
      ret,
    };
  });
  assert.deepEqual(engine, client);
});

Deno.test("embedded: errors carry the client's codes, and a failed statement leaves the connection usable", async () => {
  const [client, engine] = await results(async (db) => {
    await sql`create table u (id integer primary key, k text unique)`.execute(db);
    await sql`insert into u (k) values ('x')`.execute(db);
    const e = await sql`insert into u (k) values ('x')`.execute(db).then(() => null, (e) => e);
    const syntax = await sql`selec 1`.execute(db).then(() => null, (e) => e);
    const after = await sql`select count(*) as n from u`.execute(db);
    return {
      name: e.name,
      code: e.code,
      extendedCode: e.extendedCode,
      rawCode: e.rawCode,
      message: e.message,
      syntax: [syntax.name, syntax.code],
      after: after.rows,
    };
  });
  assert.deepEqual(engine, client);
  assert.equal((engine as { code: string }).code, "SQLITE_CONSTRAINT");
});

Deno.test("embedded: commit and rollback; a rolled-back connection is clean for the next user", async () => {
  await both(async (db, name) => {
    await sql`create table t (id integer primary key)`.execute(db);
    await db.transaction().execute(async (tx) => {
      await sql`insert into t default values`.execute(tx);
    });
    await db.transaction().execute(async (tx) => {
      await sql`insert into t default values`.execute(tx);
      throw new Error("no");
    }).catch(() => {});
    const still = await sql<{ n: number }>`select count(*) as n from t`.execute(db);
    assert.equal(still.rows[0].n, 1, name);
  });
});

Deno.test("embedded: a statement prepared before a schema change sees the new columns", async () => {
  await both(async (db, name) => {
    await sql`create table t (a integer)`.execute(db);
    await sql`insert into t values (1)`.execute(db);
    const before = await sql`select * from t`.execute(db);
    await sql`alter table t add column b integer default 7`.execute(db);
    const after = await sql`select * from t`.execute(db);
    assert.deepEqual(before.rows, [{ a: 1 }], name);
    assert.deepEqual(after.rows, [{ a: 1, b: 7 }], name);
  });
});

Deno.test("embedded: an in-memory database keeps its tables across statements (one connection)", async () => {
  const db = new Kysely({ dialect: new EmbeddedDialect("file::memory:", { timeout: 100 }) });
  try {
    await sql`create table t (id integer)`.execute(db);
    await db.transaction().execute(async (tx) => {
      await sql`insert into t values (1)`.execute(tx);
    });
    const r = await sql<{ n: number }>`select count(*) as n from t`.execute(db);
    assert.equal(r.rows[0].n, 1);
  } finally {
    await db.destroy();
  }
});

Deno.test("embedded: file URLs name their paths; a remote host is refused", () => {
  assert.equal(filePath("file:data/x.db"), "data/x.db");
  assert.equal(filePath("file:/tmp/x.db"), "/tmp/x.db");
  assert.equal(filePath("file:///tmp/x%20y.db"), "/tmp/x y.db");
  assert.equal(filePath("file://localhost/tmp/x.db"), "/tmp/x.db");
  assert.equal(filePath("file:/tmp/x.db?mode=ro"), "/tmp/x.db");
  assert.throws(() => filePath("file://evil/x.db"), /Invalid host/);
});

Deno.test("embedded: thousands of statements with nothing else awaited keep native memory flat", async () => {
  if (Deno.build.os !== "linux") return;
  // In a process of its own: the C heap of this one is shared with other tests.
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("./fixtures/statement_memory.ts", import.meta.url).pathname],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  assert.ok(out.success);
  const { grownMiB } = JSON.parse(new TextDecoder().decode(out.stdout).trim());
  // Without the driver's turns of the event loop this grows ~24 MiB (0.8 KB per statement).
  assert.ok(grownMiB < 8, `the C heap grew ${grownMiB.toFixed(1)} MiB`);
});
