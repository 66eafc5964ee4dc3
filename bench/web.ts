/**
 * Web bench (`deno task bench:web --db /tmp/x.db [--db /tmp/y.db …] [--seconds 3]`).
 *
 * For each database (seeded by bench/seed.ts) a child process opens it with `openStore` (which
 * migrates it: run on a copy when you want to keep the original), builds the app with
 * `createApp`, logs an agent in, and drives `app.fetch` in-process (no sockets, so the figures are
 * the app's own cost) with a browser's `accept-encoding: gzip`. For every request it prints p50,
 * p95 and req/s at 1 and at 50 concurrent clients:
 *
 * - the inbox すべて (all) and 対応完了 (resolved) folders, page 1;
 * - すべて deep: the page that starts half-way down the list (a cursor when the app has them,
 *   else `?page=`);
 * - the API list (`GET /api/v1/tickets`, a bearer token);
 * - the ticket with the longest thread (50+ messages);
 * - /healthz while 4 clients run the slowest of the above;
 *
 * and the process RSS. With several --db it prints each figure's growth from the first to the
 * last database. Timing never changes the exit code; a non-200 answer does.
 */
import { openStore } from "../db/client.ts";
import { loadConfig } from "../config.ts";
import { createApp } from "../routes/mod.tsx";
import { createAgent, createApiToken } from "../tests/runtime.ts";
import * as ticketList from "../db/ticket_list.ts";
import { SEED_NOW } from "./seed.ts";
import { sql } from "kysely";

function flags(name: string): string[] {
  return Deno.args.flatMap((a, i) => a === `--${name}` ? [Deno.args[i + 1]] : []);
}

const SECONDS = Number(flags("seconds")[0] ?? 3);
const ORIGIN = "http://localhost";

interface Figure {
  p50: number;
  p95: number;
  rps: number;
  bytes: number;
}

interface RunResult {
  db: string;
  tickets: number;
  rows: Record<string, { c1: Figure; c50: Figure }>;
  healthz: { p50: number; p95: number; under: string };
  rssMiB: number;
  openMs: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

async function runOne(path: string): Promise<RunResult> {
  const t0 = performance.now();
  const store = await openStore(`file:${path}`);
  const openMs = performance.now() - t0;
  const dir = await Deno.makeTempDir({ prefix: "madoguchi-bench-web-" });
  const config = loadConfig({
    MADOGUCHI_DATA_DIR: dir,
    MADOGUCHI_MAIL_DOMAINS: "example.test",
    MADOGUCHI_PUBLIC_URL: ORIGIN,
  });
  const app = createApp({ store, config, outbox: { wake() {} }, now: () => SEED_NOW });
  const email = "bench@example.test";
  const existing = await store.db.selectFrom("agents").select("id").where("email", "=", email)
    .executeTakeFirst();
  const agentId = existing?.id ?? (await createAgent(store, {
    email,
    name: "Bench",
    password: "correct horse battery",
    role: "admin",
  })).id;
  if (existing) {
    // A previous run set the password; set it again so the login below knows it.
    const { hashPassword } = await import("../domain/password.ts");
    const hash = await hashPassword("correct horse battery");
    await store.writeTx((tx) =>
      tx.updateTable("agents").set({ password_hash: hash }).where("id", "=", agentId).execute()
    );
  }
  const login = await app.request(`${ORIGIN}/login`, {
    method: "POST",
    headers: { origin: ORIGIN },
    body: new URLSearchParams({ email, password: "correct horse battery", next: "/" }),
  });
  if (login.status !== 303) throw new Error(`Login failed: ${login.status}`);
  const cookie = login.headers.get("set-cookie")!.split(";")[0];
  const token = await createApiToken(store, agentId, "bench");

  const total = Number(
    (await sql<{ n: number }>`select count(*) as n from tickets`.execute(store.db)).rows[0].n,
  );
  const long = await store.db.selectFrom("tickets").select("number")
    .where("message_count", ">=", 50).orderBy("id", "desc").limit(1).executeTakeFirst();
  const deep = await deepPath(store.db, total);

  const paths: Record<string, { path: string; api?: boolean }> = {
    "inbox すべて p1": { path: "/?status=all" },
    "inbox 対応完了 p1": { path: "/?status=resolved" },
    "inbox すべて deep": { path: deep },
    "API list": { path: "/api/v1/tickets?per_page=50", api: true },
    [`ticket ${long ? "(50+ msgs)" : "(none long)"}`]: {
      path: `/tickets/${long?.number ?? 1001}`,
    },
  };
  const request = async (p: { path: string; api?: boolean }) => {
    const res = await app.fetch(
      new Request(`${ORIGIN}${p.path}`, {
        headers: {
          "accept-encoding": "gzip, deflate, br",
          ...(p.api ? { authorization: `Bearer ${token}` } : { cookie }),
        },
      }),
    );
    const body = await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${p.path}: ${res.status}`);
    return body.byteLength;
  };

  const rows: RunResult["rows"] = {};
  let rss = Deno.memoryUsage().rss;
  for (const [name, p] of Object.entries(paths)) {
    await request(p); // warm-up, and the 200 check
    const c1 = await load(() => request(p), 1);
    const c50 = await load(() => request(p), 50);
    rows[name] = { c1, c50 };
    rss = Math.max(rss, Deno.memoryUsage().rss);
    console.error(`  ${name}: p50 ${c1.p50.toFixed(1)} ms`);
  }
  const heaviest = Object.entries(rows).sort((a, b) => b[1].c1.p50 - a[1].c1.p50)[0][0];
  const healthz = await healthUnderLoad(
    () => request(paths[heaviest]),
    () => request({ path: "/healthz" }),
  );
  rss = Math.max(rss, Deno.memoryUsage().rss);
  await store.close();
  await Deno.remove(dir, { recursive: true });
  return {
    db: path,
    tickets: total,
    rows,
    healthz: { ...healthz, under: heaviest },
    rssMiB: rss / 2 ** 20,
    openMs,
  };
}

/** The inbox page that starts half-way down すべて: by cursor when db/tickets.ts has them. */
async function deepPath(db: import("../db/client.ts").Db, total: number): Promise<string> {
  const half = Math.floor(total / 2);
  // Looked up by name, so this file also runs on the code before cursors existed.
  const mod = ticketList as Record<string, unknown>;
  if (typeof mod.cursorAt === "function") {
    const cursor = await (mod.cursorAt as (
      db: unknown,
      q: { sort: string },
      offset: number,
    ) => Promise<string | null>)(db, { sort: "newest" }, half);
    if (cursor) return `/?status=all&cursor=${encodeURIComponent(cursor)}`;
  }
  return `/?status=all&page=${Math.floor(half / 50) + 1}`;
}

async function load(fn: () => Promise<number>, clients: number): Promise<Figure> {
  const latencies: number[] = [];
  let bytes = 0;
  const start = performance.now();
  const until = start + SECONDS * 1000;
  await Promise.all(Array.from({ length: clients }, async () => {
    // At least 3 requests per client, so a slow page still gives a figure.
    for (let i = 0; i < 3 || performance.now() < until; i++) {
      const t = performance.now();
      bytes = await fn();
      latencies.push(performance.now() - t);
    }
  }));
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    rps: latencies.length / elapsed,
    bytes,
  };
}

async function healthUnderLoad(heavy: () => Promise<number>, health: () => Promise<number>) {
  let stop = false;
  const loaders = Array.from({ length: 4 }, async () => {
    while (!stop) await heavy();
  });
  const latencies: number[] = [];
  const until = performance.now() + SECONDS * 1000;
  await new Promise((r) => setTimeout(r, 50));
  while (performance.now() < until || latencies.length < 5) {
    // Timed from when the request is due, not from when the busy event loop gets to it: a
    // request arriving on a socket waits for the loop just the same.
    const due = performance.now() + 20;
    await new Promise((r) => setTimeout(r, 20));
    await health();
    latencies.push(performance.now() - due);
  }
  stop = true;
  await Promise.all(loaders);
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95) };
}

function fmt(n: number, digits = 1): string {
  return Number.isFinite(n) ? n.toFixed(digits) : "-";
}

function printRun(r: RunResult) {
  console.log(`\n${r.db}: ${r.tickets} tickets (open + migrate ${fmt(r.openMs, 0)} ms)`);
  console.log(
    "request".padEnd(22) +
      "c=1 p50/p95 ms".padStart(18) + "req/s".padStart(8) +
      "c=50 p50/p95 ms".padStart(20) + "req/s".padStart(8) + "bytes".padStart(9),
  );
  for (const [name, { c1, c50 }] of Object.entries(r.rows)) {
    console.log(
      name.padEnd(22) +
        `${fmt(c1.p50)} / ${fmt(c1.p95)}`.padStart(18) + fmt(c1.rps, 0).padStart(8) +
        `${fmt(c50.p50)} / ${fmt(c50.p95)}`.padStart(20) + fmt(c50.rps, 0).padStart(8) +
        String(c1.bytes).padStart(9),
    );
  }
  console.log(
    `/healthz under 4× "${r.healthz.under}": p50 ${fmt(r.healthz.p50)} ms, p95 ${
      fmt(r.healthz.p95)
    } ms`,
  );
  console.log(`RSS peak ${fmt(r.rssMiB, 0)} MiB`);
}

function printGrowth(a: RunResult, b: RunResult) {
  console.log(`\ngrowth ${a.tickets} → ${b.tickets} tickets (×${fmt(b.tickets / a.tickets)}):`);
  for (const name of Object.keys(b.rows)) {
    const x = a.rows[name] ?? Object.entries(a.rows).find(([k]) => k.startsWith("ticket"))?.[1];
    if (!x) continue;
    const y = b.rows[name];
    console.log(`  ${name.padEnd(22)} c=1 p50 ×${fmt(y.c1.p50 / x.c1.p50, 2)}`);
  }
  console.log(`  /healthz under load    p50 ×${fmt(b.healthz.p50 / a.healthz.p50, 2)}`);
  console.log(`  RSS                    ×${fmt(b.rssMiB / a.rssMiB, 2)}`);
}

if (import.meta.main) {
  const single = flags("single")[0];
  if (single) {
    console.log(JSON.stringify(await runOne(single)));
  } else {
    const dbs = flags("db");
    if (dbs.length === 0) {
      console.error("usage: deno task bench:web --db /tmp/x.db [--db /tmp/y.db] [--seconds 3]");
      Deno.exit(2);
    }
    const results: RunResult[] = [];
    for (const db of dbs) {
      console.error(`bench:web ${db} …`);
      // One process per database: RSS and caches of one run do not leak into the next.
      const out = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          new URL(import.meta.url).pathname,
          "--single",
          db,
          "--seconds",
          String(SECONDS),
        ],
        stderr: "inherit",
      }).output();
      if (!out.success) Deno.exit(1);
      const result: RunResult = JSON.parse(new TextDecoder().decode(out.stdout).trim());
      results.push(result);
      printRun(result);
    }
    if (results.length > 1) printGrowth(results[0], results[results.length - 1]);
  }
}
