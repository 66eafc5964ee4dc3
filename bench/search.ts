/**
 * Full-text search figures (`deno task bench:search`, issue 11): seeds databases with
 * bench/seed.ts (10 k tickets; with --big also 200 k, about 1 M messages), then times the search
 * service (FTS query, count up to 1 000, snippets) for a 2- and a 5-character Japanese query, an
 * English word and a customer's address, and reports p50/p95, the growth from 10 k to 200 k, the
 * index size per 1 000 messages and how fast existing messages are indexed (as after migration
 * 0015 on an old database).
 *
 *   deno task bench:search                 # 10 k tickets
 *   deno task bench:search --big           # 10 k and 200 k tickets
 *   deno task bench:search --reuse         # keep already seeded files in /tmp
 *   deno task bench:search --runs 50       # timed runs per query (default 30)
 *   deno task bench:search --prefix /tmp/x # seeded files are /tmp/x-<tickets>.db
 *   deno task bench:search --no-reindex    # skip the indexing-rate pass
 *
 * Queries run in rounds (each query once per round, in turn), so a burst of load from other
 * processes on a shared host spreads over all queries instead of spoiling one.
 */
import { sql } from "kysely";
import { openStore } from "../db/client.ts";
import { indexPending } from "../db/search.ts";
import { searchTickets } from "../services/search.ts";

function flag(name: string): string | undefined {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Deno.args[i + 1] : undefined;
}
const BIG = Deno.args.includes("--big");
const REUSE = Deno.args.includes("--reuse");
const RUNS = Number(flag("runs") ?? 30);
const PREFIX = flag("prefix") ?? "/tmp/madoguchi-search";
const REINDEX = !Deno.args.includes("--no-reindex");
const REINDEX_SAMPLE = 50_000;

const QUERIES = [
  ["2-char Japanese", "配達"],
  ["5-char Japanese", "ペンギン急便"],
  ["English word", "invoice"],
  ["English prefix", "auth"],
  ["customer address", "c123@example.co.jp"],
  ["2-char + status filter", "配達", { status: "new" }],
  ["word + status filter", "invoice", { status: "pending" }],
  ["2-char + rare assignee", "配達", { assignee: 3 }],
  ["2-char, best match", "配達", { sort: "relevance" }],
] as const;

async function seed(tickets: number): Promise<string> {
  const path = `${PREFIX}-${tickets}.db`;
  const exists = await Deno.stat(path).then(() => true, () => false);
  if (exists && REUSE) return path;
  const started = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("./seed.ts", import.meta.url).pathname, "--tickets", `${tickets}`]
      .concat(["--db", path]),
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (!out.success) throw new Error(`Cannot seed ${tickets} tickets`);
  console.log(`  seeded and indexed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return path;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

async function measure(tickets: number) {
  console.log(`\n== ${tickets.toLocaleString("en")} tickets`);
  const path = await seed(tickets);
  const store = await openStore(`file:${path}`);
  const db = store.db;
  const messages = Number(
    (await sql<{ n: number }>`select count(*) as n from messages`.execute(db)).rows[0].n,
  );
  // The FTS index's own tables (contentless: no copy of the text).
  const bytes = Number(
    (await sql<{ n: number }>`select
      (select coalesce(sum(length(block)), 0) from search_fts_data) +
      (select coalesce(sum(length(sz)), 0) from search_fts_docsize) +
      (select count(*) * 16 from search_fts_idx) as n`.execute(db)).rows[0].n,
  );
  const fileBytes = (await Deno.stat(path)).size;
  console.log(
    `  ${messages.toLocaleString("en")} messages; index ${(bytes / 1e6).toFixed(1)} MB ` +
      `(${(bytes / messages).toFixed(0)} B/message, ${(bytes / messages).toFixed(0)} KB per ` +
      `1 000 messages); database file ${(fileBytes / 1e6).toFixed(0)} MB`,
  );

  // A rare filter: one agent holds one ticket in 400, spread over the two years.
  await store.writeTx(async (tx) => {
    await sql`update tickets set assignee_id = 3 where id % 400 = 0 and assignee_id is null`
      .execute(tx);
  });
  const results: Record<string, { p50: number; p95: number; total: number }> = {};
  const times = new Map<string, number[]>(QUERIES.map(([label]) => [label, []]));
  const totals = new Map<string, string>();
  for (const [, q, filters] of QUERIES) await searchTickets(db, { q, ...(filters ?? {}) }); // warm
  for (let i = 0; i < RUNS; i++) {
    for (const [label, q, filters] of QUERIES) {
      const t0 = performance.now();
      const page = await searchTickets(db, { q, ...(filters ?? {}) });
      times.get(label)!.push(performance.now() - t0);
      totals.set(label, `${page.total}${page.totalExact ? "" : "+"} tickets, ${page.plan}`);
    }
  }
  for (const [label, q] of QUERIES) {
    const sorted = times.get(label)!.sort((a, b) => a - b);
    results[label] = { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), total: 0 };
    console.log(
      `  ${label.padEnd(24)} ${JSON.stringify(q).padEnd(20)} p50 ${
        results[label].p50.toFixed(1).padStart(6)
      } ms  p95 ${results[label].p95.toFixed(1).padStart(6)} ms  (${totals.get(label)})`,
    );
  }

  if (!REINDEX) {
    await store.close();
    return { messages, bytes, results, rate: 0 };
  }
  // Index a sample of existing messages as the pass after migration 0015 does (not yet indexed).
  const sample = Math.min(messages, REINDEX_SAMPLE);
  await store.writeTx(async (tx) => {
    await sql`delete from search_fts where rowid in (
      select id from messages order by id desc limit ${sample})`.execute(tx);
  });
  await sql`insert into search_pending (message_id, fresh)
    select id, 1 from messages order by id desc limit ${sample}`.execute(db);
  const t0 = performance.now();
  await indexPending(db);
  const rate = sample / ((performance.now() - t0) / 1000);
  console.log(`  indexing existing messages: ${Math.round(rate).toLocaleString("en")} messages/s`);
  await store.close();
  return { messages, bytes, results, rate };
}

const small = await measure(10_000);
if (BIG) {
  const big = await measure(200_000);
  console.log("\n== growth 10 k → 200 k tickets (×20 data)");
  for (const [label] of QUERIES) {
    const a = small.results[label].p95;
    const b = big.results[label].p95;
    console.log(
      `  ${label.padEnd(24)} p95 ${a.toFixed(1)} → ${b.toFixed(1)} ms (×${(b / a).toFixed(2)})`,
    );
  }
}
