/**
 * What one page costs (`deno task bench:page --db /tmp/x.db --path "/?status=all"`): the app on a
 * seeded database (bench/seed.ts; opening migrates it, so use a copy), an agent logged in, the
 * path requested `--n` times (`--clients` at once) in-process, then CPU ms per request (all
 * threads), wall ms, req per CPU-second and the peak RSS. With `--sql` every statement is timed
 * where the engine runs it and the costliest are listed per request, with their row counts: the
 * place to start when a page grows slower. `--served` instead serves it over real sockets to
 * `--clients` clients in another process for `--seconds` (6) and prints req/s and where the
 * memory is (V8 heap, malloc). `--write-every MS` commits a change every MS ms meanwhile (kept
 * reads last only until a commit: db/read_memo.ts). For a CPU profile add
 * `--cpu-prof --cpu-prof-dir=/tmp/prof` after `deno run -A` (the task is `deno run -A
 * bench/page.ts`).
 */
import Database from "libsql";
import { benchApp, cpuSeconds, ORIGIN, peakRssMiB, servedClients } from "./bench_app.ts";

function flag(name: string, fallback?: string): string | undefined {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Deno.args[i + 1] : fallback;
}

interface StatementCost {
  n: number;
  ms: number;
  rows: number;
}

/** Times every multi-row statement the engine runs (libsql's `all`), by SQL text. */
function timeStatements(): Map<string, StatementCost> {
  const costs = new Map<string, StatementCost>();
  type Stmt = { all(...args: unknown[]): unknown[]; timed?: true };
  const proto = Database.prototype as unknown as { prepare(sql: string): Stmt };
  const prepare = proto.prepare;
  proto.prepare = function (sql: string) {
    const stmt = prepare.call(this, sql);
    if (stmt.timed) return stmt;
    const all = stmt.all;
    stmt.all = function (...args: unknown[]) {
      const t = performance.now();
      const rows = all.apply(this, args);
      const cost = costs.get(sql) ?? { n: 0, ms: 0, rows: 0 };
      cost.n++;
      cost.ms += performance.now() - t;
      cost.rows += rows.length;
      costs.set(sql, cost);
      return rows;
    };
    stmt.timed = true;
    return stmt;
  };
  return costs;
}

const dbPath = flag("db");
if (!dbPath) {
  console.error(
    'usage: deno task bench:page --db /tmp/x.db [--path "/?status=all"] [--n 1000] ' +
      "[--clients 1] [--sql] [--served [--seconds 6]] [--write-every MS]",
  );
  Deno.exit(2);
}
const path = flag("path", "/?status=all")!;
const n = Number(flag("n", "1000"));
const clients = Number(flag("clients", "1"));
const costs = Deno.args.includes("--sql") ? timeStatements() : null;

const { app, store, cookie, token, close } = await benchApp(dbPath, {
  readWorkers: 0,
  email: "bench-page@example.test",
});
const headers: Record<string, string> = { "accept-encoding": "gzip" };
if (path.startsWith("/api/")) headers.authorization = `Bearer ${token}`;
else headers.cookie = cookie;

async function request() {
  const res = await app.fetch(new Request(`${ORIGIN}${path}`, { headers }));
  await res.arrayBuffer();
  if (res.status >= 400) throw new Error(`${path}: ${res.status}`);
}

for (let i = 0; i < 50; i++) await request();
costs?.clear();

// --write-every MS: a commit every MS ms while the pages are requested (a ticket's priority
// toggled), so the figures show what the kept reads (db/read_memo.ts) are worth when the
// database keeps changing; the count of commits made is printed.
const writeEvery = Number(flag("write-every", "0"));
let commits = 0;
const writer = writeEvery > 0
  ? setInterval(() => {
    store.writeTx((tx) =>
      tx.updateTable("tickets")
        .set((eb) => ({
          priority: eb.case().when("priority", "=", "high").then("normal").else("high").end(),
        }))
        .where("id", "=", 1).execute()
    ).then(() => commits++);
  }, writeEvery)
  : undefined;
const writesNote = () => writer === undefined ? "" : `, ${commits} commits made meanwhile`;

if (Deno.args.includes("--served")) {
  // Over real sockets, the clients in another process (bench/web_load_worker.ts): what a server
  // keeps in memory while browsers load it, and where that memory is.
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, app.fetch);
  const seconds = Number(flag("seconds", "6"));
  const cpu0 = cpuSeconds();
  const { requests } = await servedClients({
    base: `http://127.0.0.1:${server.addr.port}`,
    cookie,
    bearer: `Bearer ${token}`,
    seconds,
    clients,
    paths: [path.startsWith("/api/") ? `api:${path}` : path],
  });
  const cpu = cpuSeconds() - cpu0;
  const m = Deno.memoryUsage();
  const smaps = Deno.readTextFileSync("/proc/self/smaps");
  const at = smaps.indexOf("[heap]");
  const mallocMiB = at < 0 ? NaN : Number(smaps.slice(at).match(/Rss:\s+(\d+)/)![1]) / 1024;
  console.log(
    `${path} served to ${clients} socket clients: ${(requests / seconds).toFixed(0)} req/s, ` +
      `${(requests / cpu).toFixed(0)} per CPU-second; peak RSS ${peakRssMiB().toFixed(0)} MiB, ` +
      `now ${(m.rss / 2 ** 20).toFixed(0)} MiB: V8 heap ${(m.heapTotal / 2 ** 20).toFixed(0)} ` +
      `(used ${(m.heapUsed / 2 ** 20).toFixed(0)}), malloc ${mallocMiB.toFixed(0)}${writesNote()}`,
  );
  clearInterval(writer);
  await server.shutdown();
  await close();
  Deno.exit(0);
}
const cpu0 = cpuSeconds();
const start = performance.now();
let left = n;
await Promise.all(Array.from({ length: clients }, async () => {
  while (left-- > 0) await request();
}));
const wall = performance.now() - start;
const cpu = cpuSeconds() - cpu0;
console.log(
  `${path}: ${(cpu * 1000 / n).toFixed(2)} ms CPU per request, ${(wall / n).toFixed(2)} ms wall, ` +
    `${(n / cpu).toFixed(0)} req per CPU-second (${clients} client${clients > 1 ? "s" : ""}), ` +
    `peak RSS ${peakRssMiB().toFixed(0)} MiB${writesNote()}`,
);
clearInterval(writer);
if (costs) {
  console.log("per request  runs  rows/run  statement");
  for (const [sql, c] of [...costs].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15)) {
    console.log(
      `${(c.ms / n).toFixed(3).padStart(8)} ms ${(c.n / n).toFixed(2).padStart(5)} ` +
        `${(c.rows / c.n).toFixed(0).padStart(9)}  ${sql.replace(/\s+/g, " ").slice(0, 160)}`,
    );
  }
}
await close();
// The password workers (the login above) would keep the process waiting.
Deno.exit(0);
