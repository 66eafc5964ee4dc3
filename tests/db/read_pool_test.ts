import assert from "node:assert/strict";
import { sql } from "kysely";
import { openStore, type Store } from "../../db/client.ts";
import { listTickets } from "../../db/ticket_list.ts";
import { readPeriodReport } from "../../db/period_report.ts";
import { ingestMessage } from "../runtime.ts";
import { rawMail, tempStore } from "../helpers.ts";

async function withPool(fn: (store: Store, dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "madoguchi-read-pool-" });
  const store = await openStore(`file:${dir}/test.db`, { readWorkers: 2 });
  try {
    await fn(store, dir);
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
}

// A statement that keeps SQLite busy for a while (a recursive count).
const slowCount = sql<{ n: number }>`with recursive r(i) as (select 1 union all
  select i + 1 from r where i < 2000000) select count(*) as n from r`;

Deno.test("read pool: no worker until the first read, then rows exactly as the main thread's", async () => {
  await withPool(async (store) => {
    assert.equal(store.readPool?.().workers, 0);
    await store.writeTx(async (tx) => {
      for (const [email, name] of [["a@example.com", "山田 花子"], ["b@example.com", "Bob"]]) {
        await tx.insertInto("customers").values({ email, name, created_at: 1, updated_at: 2 })
          .execute();
      }
    });
    const query = (db: Store["db"]) =>
      db.selectFrom("customers").selectAll().orderBy("id").execute();
    const viaWorker = await query(store.reader);
    assert.equal(store.readPool?.().workers, 1);
    assert.deepEqual(viaWorker, await query(store.db));
    assert.equal(viaWorker.length, 2);
    assert.equal(viaWorker[0].name, "山田 花子");
  });
});

Deno.test("read pool: a list page read by a worker equals the one read in-process", async () => {
  const { store, dir, cleanup } = await tempStore();
  try {
    for (let i = 0; i < 3; i++) {
      const raw = rawMail({
        From: `c${i}@example.com`,
        To: "support@example.test",
        Subject: `件名 ${i}`,
        "Message-ID": `<m${i}@example.com>`,
      }, "本文");
      await ingestMessage(store, new TextEncoder().encode(raw), {
        mailFrom: `c${i}@example.com`,
        rcptTo: ["support@example.test"],
        remoteAddress: null,
      });
    }
    const pooled = await openStore(`file:${dir}/test.db`, { readWorkers: 1 });
    try {
      const q = { perPage: 2 };
      const page = await listTickets(pooled.reader, q);
      assert.equal(page.tickets.length, 2);
      assert.deepEqual(page, await listTickets(store.db, q));
    } finally {
      await pooled.close();
    }
  } finally {
    await cleanup();
  }
});

Deno.test("read pool: the main thread keeps running while a slow read runs", async () => {
  await withPool(async (store) => {
    let ticked = false;
    setTimeout(() => ticked = true, 0);
    const { rows } = await slowCount.execute(store.reader);
    assert.equal(Number(rows[0].n), 2_000_000);
    // In-process the statement would hold the thread until it ends, and the timer after it.
    assert.equal(ticked, true);
  });
});

Deno.test("read pool: errors come back with their code; writes and transactions are refused", async () => {
  await withPool(async (store) => {
    await assert.rejects(
      sql`select * from no_such_table`.execute(store.reader),
      (e: Error & { code?: string }) => /no such table/.test(e.message) && e.code !== undefined,
    );
    await assert.rejects(
      store.reader.insertInto("customers")
        .values({ email: "x@example.com", name: "x", created_at: 0, updated_at: 0 }).execute(),
      /readonly|query_only|read-only/i,
    );
    await assert.rejects(
      store.reader.transaction().execute(() => Promise.resolve()),
      /not transactions/,
    );
    const { n } = await store.db.selectFrom("customers")
      .select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    assert.equal(Number(n), 0);
  });
});

Deno.test("read pool: a second worker starts only while the first is busy; close fails what is left", async () => {
  await withPool(async (store) => {
    await sql`select 1`.execute(store.reader);
    assert.equal(store.readPool?.().workers, 1);
    const slow = [slowCount.execute(store.reader), slowCount.execute(store.reader)];
    // Kysely hands a statement to the driver a few promise turns after execute().
    await new Promise((r) => setTimeout(r, 0));
    assert.equal(store.readPool?.().workers, 2);
    assert.equal(store.readPool?.().inFlight, 2);
    await Promise.all(slow);
    await store.close();
    await assert.rejects(sql`select 1`.execute(store.reader), /closed/);
  });
});

Deno.test("read pool: idle workers stop (their memory back), busy ones stay, the next read starts one", async () => {
  await withPool(async (store) => {
    const pool = store.readPool!;
    await sql`select 1`.execute(store.reader);
    assert.equal(pool().workers, 1);
    // Long enough to outlast a second worker's start on a busy machine (tests run in parallel).
    const slow = sql<{ n: number }>`with recursive r(i) as (select 1 union all
      select i + 1 from r where i < 8000000) select count(*) as n from r`.execute(store.reader);
    await new Promise((r) => setTimeout(r, 0));
    const quick = sql`select 2 as n`.execute(store.reader);
    await quick;
    assert.equal(pool().workers, 2);
    store.stopIdleReaders?.();
    assert.equal(pool().workers, 1, "the busy one stays");
    assert.equal(Number((await slow).rows[0].n), 8_000_000);
    store.stopIdleReaders?.();
    assert.equal(pool().workers, 0);
    const again = await sql<{ n: number }>`select 3 as n`.execute(store.reader);
    assert.equal(Number(again.rows[0].n), 3);
    assert.equal(pool().workers, 1);
  });
});

Deno.test("read pool: without workers (or in memory) the reader is the main handle", async () => {
  const memory = await openStore("file::memory:", { readWorkers: 2 });
  try {
    assert.equal(memory.reader, memory.db);
    assert.equal(memory.readPool, undefined);
  } finally {
    await memory.close();
  }
});

Deno.test("read pool: a period's report computed on a worker equals the one computed in-process", async () => {
  const { store, dir, cleanup } = await tempStore();
  try {
    const at = (local: string) => Date.parse(`${local}+09:00`);
    for (
      const [i, when] of ["2026-05-01T09:10", "2026-05-02T23:30", "2026-05-03T13:00"].entries()
    ) {
      const raw = rawMail({
        From: `c${i}@example.com`,
        To: "support@example.test",
        Subject: `請求書の件 ${i}`,
        "Message-ID": `<r${i}@example.com>`,
      }, "請求書を再発行してください");
      await ingestMessage(store, new TextEncoder().encode(raw), {
        mailFrom: `c${i}@example.com`,
        rcptTo: ["support@example.test"],
        remoteAddress: null,
      }, { now: () => at(when) });
    }
    const input = {
      period: {
        preset: "custom" as const,
        from: "2026-05-01",
        to: "2026-05-03",
        fromMs: at("2026-05-01T00:00"),
        toMs: at("2026-05-04T00:00"),
        timeZone: "Asia/Tokyo",
      },
      filter: {},
      now: at("2026-05-20T12:00"),
    };
    const pooled = await openStore(`file:${dir}/test.db`, { readWorkers: 1 });
    try {
      assert.ok(pooled.report, "a store with read workers computes reports on them");
      const onWorker = await pooled.report(input);
      assert.equal(pooled.readPool?.().workers, 1);
      assert.equal(onWorker.received, 3);
      assert.deepEqual(onWorker.top_terms.slice(0, 1).map((t) => t.term), ["請求書"]);
      assert.deepEqual(onWorker, await readPeriodReport(store.db, input));
    } finally {
      await pooled.close();
    }
    assert.equal(store.report, undefined, "no workers, no report offload");
  } finally {
    await cleanup();
  }
});
