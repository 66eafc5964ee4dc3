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
 * - full-text search for a common word and the month's report (the heavy reads);
 * - a status change and a reply POST (one client);
 * - /healthz over a real socket while 4 clients (on another thread, also over sockets) run the
 *   slowest page, then a search, then the month's report: the time a monitor waits on the thread
 *   that serves everything;
 *
 * with req/s per CPU-second of the process (all its threads; the host is shared, so this is the
 * steadier figure), and the peak RSS (the kernel's high-water mark). `--read-workers 0` runs
 * without the read pool (as before it existed). With several --db it prints each figure's growth
 * from the first to the last database. Timing never changes the exit code; a non-2xx/3xx answer
 * does.
 */
import * as ticketList from "../db/ticket_list.ts";
import { sql } from "kysely";
import { benchApp, cpuSeconds, ORIGIN, peakRssMiB, servedClients } from "./bench_app.ts";

function flags(name: string): string[] {
  return Deno.args.flatMap((a, i) => a === `--${name}` ? [Deno.args[i + 1]] : []);
}

const SECONDS = Number(flags("seconds")[0] ?? 3);
const READ_WORKERS = Number(flags("read-workers")[0] ?? 2);

interface Figure {
  p50: number;
  p95: number;
  rps: number;
  /** Requests per second of CPU time used by the process (all threads). */
  perCpuS: number;
  bytes: number;
}

interface RunResult {
  db: string;
  tickets: number;
  rows: Record<string, { c1: Figure; c50?: Figure }>;
  healthz: { p50: number; p95: number; max: number; under: string }[];
  rssMiB: number;
  /** Peak RSS before any search or report ran (no read worker started yet). */
  pagesRssMiB: number;
  /** 50 socket clients cycling through the pages before anything else ran. */
  served: { rps: number; p50: number; p95: number; perCpuS: number; rssMiB: number };
  readWorkers: number;
  openMs: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

async function runOne(path: string): Promise<RunResult> {
  const { store, app, cookie, token, openMs, close } = await benchApp(path, {
    readWorkers: READ_WORKERS,
    email: "bench@example.test",
  });

  const total = Number(
    (await sql<{ n: number }>`select count(*) as n from tickets`.execute(store.db)).rows[0].n,
  );
  // A seeded long thread (50–80 messages), not the ticket earlier runs' reply POSTs grew.
  const long = await store.db.selectFrom("tickets").select("number")
    .where("message_count", ">=", 50).where("message_count", "<=", 80)
    .orderBy("id", "desc").limit(1).executeTakeFirst();
  const deep = await deepPath(store.db, total);

  const paths: Record<string, { path: string; api?: boolean }> = {
    "inbox すべて p1": { path: "/?status=all" },
    "inbox 対応完了 p1": { path: "/?status=resolved" },
    "inbox すべて deep": { path: deep },
    // The deepest old-style link allowed (10 000 rows in): keys walked, then a seek.
    "inbox すべて ?page=200": { path: "/?status=all&page=200" },
    "API list": { path: "/api/v1/tickets?per_page=50", api: true },
    [`ticket ${long ? "(50+ msgs)" : "(none long)"}`]: {
      path: `/tickets/${long?.number ?? 1001}`,
    },
  };
  const heavy: Record<string, { path: string; api?: boolean }> = {
    "search お願い": { path: `/search?q=${encodeURIComponent("お願い")}` },
    "report (month)": { path: "/reports?period=month" },
  };
  const request = async (p: { path: string; api?: boolean }, init: RequestInit = {}) => {
    const res = await app.fetch(
      new Request(`${ORIGIN}${p.path}`, {
        ...init,
        headers: {
          "accept-encoding": "gzip, deflate, br",
          origin: ORIGIN,
          ...(p.api ? { authorization: `Bearer ${token}` } : { cookie }),
        },
      }),
    );
    const body = await res.arrayBuffer();
    if (res.status >= 400) throw new Error(`${p.path}: ${res.status}`);
    return body.byteLength;
  };

  // First, in a fresh process: 50 clients over real sockets (on a Worker) cycling through the
  // pages, as a browser-driven server sees them; its req/s and the peak RSS it leaves.
  const served = await servedLoad(
    app.fetch,
    [
      "/?status=all",
      "/?status=resolved",
      `api:${paths["API list"].path}`,
      deep,
      Object.values(paths).find((p) => p.path.startsWith("/tickets/"))!.path,
    ],
    cookie,
    `Bearer ${token}`,
  );
  const servedRssMiB = peakRssMiB();
  console.error(`  served: ${served.rps.toFixed(0)} req/s over sockets, RSS ${servedRssMiB} MiB`);

  const rows: RunResult["rows"] = {};
  const measure = async (name: string, p: { path: string; api?: boolean }) => {
    await request(p); // warm-up, and the status check
    const c1 = await load(() => request(p), 1);
    const c50 = await load(() => request(p), 50);
    rows[name] = { c1, c50 };
    console.error(`  ${name}: p50 ${c1.p50.toFixed(1)} ms, c=50 ${c50.rps.toFixed(0)} req/s`);
  };
  for (const [name, p] of Object.entries(paths)) await measure(name, p);
  // Before the read workers start (the heavy rows below): what serving pages costs.
  const pagesRssMiB = peakRssMiB();
  for (const [name, p] of Object.entries(heavy)) await measure(name, p);
  // Writes, one client: a status change back and forth, and a reply (it waits in the outbox).
  const target = await store.db.selectFrom("tickets").select(["id", "number"])
    .where("status", "=", "open").orderBy("id", "desc").limit(1).executeTakeFirstOrThrow();
  console.error("  writes …");
  let flip = 0;
  rows["status change POST"] = {
    c1: await load(() =>
      request({ path: `/tickets/${target.number}/status` }, {
        method: "POST",
        body: new URLSearchParams({ status: flip++ % 2 ? "open" : "pending" }),
      }), 1),
  };
  rows["reply POST"] = {
    c1: await load(async () => {
      const { version } = await store.db.selectFrom("tickets").select("version")
        .where("id", "=", target.id).executeTakeFirstOrThrow();
      return request({ path: `/tickets/${target.number}/reply` }, {
        method: "POST",
        body: new URLSearchParams({
          text: "お問い合わせありがとうございます。確認いたします。",
          status: "pending",
          version: String(version),
        }),
      });
    }, 1),
  };

  console.error("  /healthz over HTTP …");
  const pages = Object.keys(paths);
  const slowest = pages.sort((a, b) => rows[b].c1.p50 - rows[a].c1.p50)[0];
  const healthz = [];
  for (
    const [under, p] of [
      [slowest, paths[slowest]],
      ["search お願い", heavy["search お願い"]],
      ["report (month)", heavy["report (month)"]],
    ] as const
  ) {
    healthz.push({
      ...await healthOverHttp(app.fetch, p.path, p.api ? `Bearer ${token}` : cookie),
      under,
    });
  }
  await close();
  return {
    db: path,
    tickets: total,
    rows,
    healthz,
    rssMiB: peakRssMiB(),
    pagesRssMiB,
    served: { ...served, rssMiB: servedRssMiB },
    readWorkers: READ_WORKERS,
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
  const cpu0 = cpuSeconds();
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
  const cpu = cpuSeconds() - cpu0;
  latencies.sort((a, b) => a - b);
  return {
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    rps: latencies.length / elapsed,
    perCpuS: cpu > 0 ? latencies.length / cpu : NaN,
    bytes,
  };
}

/**
 * 50 clients in another process, over real sockets, each cycling through `paths` for twice
 * --seconds: the server's req/s, its req per CPU-second, and latencies.
 */
async function servedLoad(
  fetcher: (req: Request) => Response | Promise<Response>,
  paths: string[],
  cookie: string,
  bearer: string,
): Promise<{ rps: number; p50: number; p95: number; perCpuS: number }> {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, fetcher);
  try {
    const cpu0 = cpuSeconds();
    const start = performance.now();
    // The clients in a process of their own: their memory and CPU are not the server's.
    const { requests, latencies } = await servedClients({
      base: `http://127.0.0.1:${server.addr.port}`,
      cookie,
      bearer,
      seconds: SECONDS * 2,
      clients: 50,
      paths,
    });
    const elapsed = (performance.now() - start) / 1000;
    const cpu = cpuSeconds() - cpu0;
    latencies.sort((a, b) => a - b);
    return {
      rps: requests / elapsed,
      p50: percentile(latencies, 0.5),
      p95: percentile(latencies, 0.95),
      perCpuS: requests / cpu,
    };
  } finally {
    await server.shutdown();
  }
}

/**
 * /healthz latency while 4 clients run `heavyPath`, all over real sockets: the app listens on a
 * port and the clients run on a Worker (bench/web_load_worker.ts), so this thread does nothing
 * but serve, as in production. Each poll is timed from when it was due (every 20 ms).
 */
async function healthOverHttp(
  fetcher: (req: Request) => Response | Promise<Response>,
  heavyPath: string,
  credential: string,
): Promise<{ p50: number; p95: number; max: number }> {
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, fetcher);
  const worker = new Worker(new URL("./web_load_worker.ts", import.meta.url).href, {
    type: "module",
  });
  try {
    const latencies = await new Promise<number[]>((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<number[]>) => resolve(e.data);
      worker.onerror = (e) => {
        e.preventDefault();
        reject(new Error(e.message));
      };
      worker.postMessage({
        base: `http://127.0.0.1:${server.addr.port}`,
        heavyPath,
        credential,
        seconds: SECONDS,
        clients: 4,
      });
    });
    latencies.sort((a, b) => a - b);
    return {
      p50: percentile(latencies, 0.5),
      p95: percentile(latencies, 0.95),
      max: latencies[latencies.length - 1],
    };
  } finally {
    worker.terminate();
    await server.shutdown();
  }
}

function fmt(n: number, digits = 1): string {
  return Number.isFinite(n) ? n.toFixed(digits) : "-";
}

function printRun(r: RunResult) {
  console.log(
    `\n${r.db}: ${r.tickets} tickets (open + migrate ${
      fmt(r.openMs, 0)
    } ms, ${r.readWorkers} read workers)`,
  );
  console.log(
    "request".padEnd(22) +
      "c=1 p50/p95 ms".padStart(18) + "req/s".padStart(8) +
      "c=50 p50/p95 ms".padStart(20) + "req/s".padStart(8) + "/CPU-s".padStart(8) +
      "bytes".padStart(9),
  );
  for (const [name, { c1, c50 }] of Object.entries(r.rows)) {
    console.log(
      name.padEnd(22) +
        `${fmt(c1.p50)} / ${fmt(c1.p95)}`.padStart(18) + fmt(c1.rps, 0).padStart(8) +
        (c50
          ? `${fmt(c50.p50)} / ${fmt(c50.p95)}`.padStart(20) + fmt(c50.rps, 0).padStart(8) +
            fmt(c50.perCpuS, 0).padStart(8)
          : "".padStart(36)) +
        String(c1.bytes).padStart(9),
    );
  }
  for (const h of r.healthz) {
    console.log(
      `/healthz under 4× "${h.under}" (HTTP): p50 ${fmt(h.p50)} ms, p95 ${fmt(h.p95)} ms, max ${
        fmt(h.max)
      } ms`,
    );
  }
  console.log(
    `served over sockets, 50 clients cycling inbox/resolved/API/deep/ticket: ${
      fmt(r.served.rps, 0)
    } req/s, ${fmt(r.served.perCpuS, 0)} per CPU-s (p50 ${fmt(r.served.p50)} ms, p95 ${
      fmt(r.served.p95)
    } ms), peak RSS ${fmt(r.served.rssMiB, 0)} MiB`,
  );
  console.log(
    `RSS peak (VmHWM) ${fmt(r.pagesRssMiB, 0)} MiB serving pages in-process, ${
      fmt(r.rssMiB, 0)
    } MiB with search and reports (read workers started)`,
  );
}

function printGrowth(a: RunResult, b: RunResult) {
  console.log(`\ngrowth ${a.tickets} → ${b.tickets} tickets (×${fmt(b.tickets / a.tickets)}):`);
  for (const name of Object.keys(b.rows)) {
    const x = a.rows[name] ?? Object.entries(a.rows).find(([k]) => k.startsWith("ticket"))?.[1];
    if (!x) continue;
    const y = b.rows[name];
    console.log(
      `  ${name.padEnd(22)} c=1 p50 ×${fmt(y.c1.p50 / x.c1.p50, 2)}` +
        (x.c50 && y.c50 ? `   c=50 req/s ×${fmt(y.c50.rps / x.c50.rps, 2)}` : ""),
    );
  }
  for (const [i, h] of b.healthz.entries()) {
    const g = a.healthz[i];
    if (g) console.log(`  /healthz under ${h.under.padEnd(12)} p95 ×${fmt(h.p95 / g.p95, 2)}`);
  }
  console.log(`  served req/s           ×${fmt(b.served.rps / a.served.rps, 2)}`);
  console.log(`  RSS                    ×${fmt(b.rssMiB / a.rssMiB, 2)}`);
}

if (import.meta.main) {
  const single = flags("single")[0];
  if (single) {
    console.log(JSON.stringify(await runOne(single)));
    // The password workers (the login above) would keep the process waiting.
    Deno.exit(0);
  } else {
    const dbs = flags("db");
    if (dbs.length === 0) {
      console.error(
        "usage: deno task bench:web --db /tmp/x.db [--db /tmp/y.db] [--seconds 3] [--read-workers 2]",
      );
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
          "--read-workers",
          String(READ_WORKERS),
        ],
        stderr: "inherit",
      }).output();
      if (!out.success) Deno.exit(1);
      const result: RunResult = JSON.parse(
        // The last line: opening a database may first print search-index progress.
        new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!,
      );
      results.push(result);
      printRun(result);
    }
    if (results.length > 1) printGrowth(results[0], results[results.length - 1]);
  }
}
