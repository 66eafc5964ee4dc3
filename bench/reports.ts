/**
 * Reports bench (`deno task bench:reports --db /tmp/x.db [--runs 5]`), on a database seeded by
 * bench/seed.ts (opening it runs migration 0017 when it is missing: use a copy to keep the
 * original). Prints:
 *
 * - a month's report (the seed's last full month, every figure of /reports) and a week's, p50 and
 *   max of --runs runs after one warm-up, with the tickets counted;
 * - the dashboard;
 * - the whole ticket list as CSV (every ticket, UTF-8), streamed and drained chunk by chunk as an
 *   HTTP client would: rows, bytes, time, and the process RSS before and after and at its peak
 *   (sampled between chunks) — flat memory means the rows never sat in memory together.
 *
 * Timing never changes the exit code.
 */
import { openStore } from "../db/client.ts";
import { dashboard, periodReport } from "../services/reports.ts";
import { ticketCsvStream } from "../services/exports.ts";
import { resolvePeriod } from "../domain/report/period.ts";
import { translator } from "../domain/i18n/mod.ts";
import { SYSTEM } from "../services/context.ts";
import { SEED_NOW } from "./seed.ts";

function flag(name: string): string | undefined {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Deno.args[i + 1] : undefined;
}

const PATH = flag("db") ?? "/tmp/madoguchi-seed-200000.db";
const RUNS = Number(flag("runs") ?? 5);
const ZONE = "Asia/Tokyo";
const mib = (n: number) => `${(n / 1048576).toFixed(0)} MiB`;

const store = await openStore(`file:${PATH}`);
const db = store.db;
const total = Number(
  (await db.selectFrom("tickets").select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow()).n,
);
console.log(`${PATH}: ${total.toLocaleString("en")} tickets`);

async function time<T>(label: string, fn: () => Promise<T>, note: (r: T) => string) {
  let result = await fn();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    result = await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const p50 = times[Math.floor(times.length / 2)];
  console.log(
    `${label.padEnd(34)} p50 ${p50.toFixed(1).padStart(7)} ms  max ${
      times.at(-1)!.toFixed(1).padStart(7)
    } ms  ${note(result)}`,
  );
}

const month = resolvePeriod("last_month", SEED_NOW, ZONE);
const week = resolvePeriod("week", SEED_NOW - 7 * 86_400_000, ZONE);
for (
  const [label, period] of [[`report ${month.from}…${month.to}`, month], [
    `report ${week.from}…${week.to}`,
    week,
  ]] as const
) {
  await time(
    label,
    () => periodReport(db, SYSTEM, { period, filter: {}, now: SEED_NOW }),
    (r) =>
      `${r.received} received, ${r.replied} replies, FRT median ${r.first_response.business_median_minutes} business min`,
  );
}
await time(
  "report one department, month",
  () => periodReport(db, SYSTEM, { period: month, filter: { departmentId: 1 }, now: SEED_NOW }),
  (r) => `${r.received} received`,
);
await time(
  "dashboard",
  () => dashboard(db, SYSTEM, { now: SEED_NOW, timeZone: ZONE }),
  (d) => `${d.load.reduce((s, l) => s + l.count, 0)} open`,
);

// The CSV of every ticket, pulled chunk by chunk.
(globalThis as { gc?: () => void }).gc?.();
const before = Deno.memoryUsage().rss;
let peak = before;
let bytes = 0;
let lines = 0;
const start = performance.now();
const stream = ticketCsvStream(db, SYSTEM, {
  query: { sort: "newest" },
  encoding: "utf-8",
  t: translator("ja"),
  timeZone: ZONE,
  now: SEED_NOW,
});
for await (const chunk of stream) {
  bytes += chunk.length;
  for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines++;
  peak = Math.max(peak, Deno.memoryUsage().rss);
}
const ms = performance.now() - start;
console.log(
  `tickets.csv (all)                  ${(ms / 1000).toFixed(1)} s  ${
    (lines - 1).toLocaleString("en")
  } rows  ${mib(bytes)}  RSS before ${mib(before)}, peak ${mib(peak)}, after ${
    mib(Deno.memoryUsage().rss)
  }`,
);
await store.close();
