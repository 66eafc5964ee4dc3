/**
 * Imports old mail into the same database as the server:
 *
 *   deno task import <mbox file | Maildir | folder of .eml files> [--to support@example.test] [--dry-run]
 *
 * Each message is filed through the SMTP filing path as imported mail (no auto-reply, no notices).
 * The job's position commits with each message: stop it (Ctrl-C, a crash) and run the same
 * command again to continue; a message is never filed twice. `--to` names the recipient of every
 * message (else Delivered-To, then To and Cc). `--dry-run` reads the source through and reports
 * what it found, writing nothing.
 */
import { parseArgs } from "node:util";
import { ConfigError, loadConfig } from "../config.ts";
import { openStore } from "../db/client.ts";
import type { ImportJob } from "../db/import_jobs.ts";
import { ValidationError } from "../domain/errors.ts";
import { senderFromConfig } from "../mail/sender.ts";
import { dryRunImport, prepareImport, runImport } from "../services/import.ts";

const USAGE =
  "usage: deno task import <mbox file | Maildir | folder of .eml files> [--to <address>] [--dry-run]";

function fail(message: string, code = 1): never {
  console.error(`madoguchi import: ${message}`);
  Deno.exit(code);
}

let parsed;
try {
  parsed = parseArgs({
    args: Deno.args,
    allowPositionals: true,
    options: {
      to: { type: "string" },
      "dry-run": { type: "boolean" },
      help: { type: "boolean" },
    },
  });
} catch (e) {
  fail(`${e instanceof Error ? e.message : String(e)}\n${USAGE}`, 2);
}
const { values: args, positionals } = parsed;
if (args.help) {
  console.log(USAGE);
  Deno.exit(0);
}
if (positionals.length !== 1) fail(USAGE, 2);
const path = positionals[0];

const tty = Deno.stderr.isTerminal();
const encoder = new TextEncoder();
let lastLine = 0;
/** A progress bar on a terminal; a line every 5 % otherwise (logs). */
function progress(done: number, total: number, tail: string, final = false) {
  const ratio = total > 0 ? Math.min(1, done / total) : 1;
  const pct = Math.floor(ratio * 100);
  if (tty) {
    const width = 30;
    const fill = Math.round(ratio * width);
    const bar = `[${"#".repeat(fill)}${"-".repeat(width - fill)}] ${String(pct).padStart(3)}%`;
    Deno.stderr.writeSync(encoder.encode(`\r\x1b[2K${bar} ${tail}${final ? "\n" : ""}`));
  } else if (final || pct >= lastLine + 5) {
    lastLine = pct;
    console.error(`${pct}% ${tail}`);
  }
}

function summary(job: ImportJob): string {
  return `${job.messages} messages: ${job.created} new tickets, ${job.joined} joined, ` +
    `${job.duplicates} duplicates, ${job.quarantined} quarantined, ${job.skipped} skipped`;
}

if (args["dry-run"]) {
  try {
    const report = await dryRunImport({ path, to: args.to ?? null }, {
      onProgress: (done, total) => progress(done, total, "reading"),
    });
    progress(1, 1, "read", true);
    console.log(
      `${report.kind}: ${report.messages} messages; ${report.unparseable} would be quarantined, ` +
        `${report.tooLarge} too large, ${report.withoutRecipient} without a recipient` +
        (report.withoutRecipient ? " (give --to)" : ""),
    );
  } catch (e) {
    fail(e instanceof Error ? e.message : String(e));
  }
  Deno.exit(0);
}

let config;
try {
  config = loadConfig();
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  fail(`invalid configuration: ${e.message}`, 2);
}
const store = await openStore(config.databaseUrl, { authToken: config.databaseAuthToken });
const stop = new AbortController();
const onSignal = () => stop.abort();
Deno.addSignalListener("SIGINT", onSignal);
try {
  const rt = {
    store,
    sender: senderFromConfig(config),
    // Imported mail queues no mail; timers it arms are found by the server's scheduler.
    wakers: { timers: () => {}, outbox: () => {} },
    now: Date.now,
  };
  const job = await prepareImport(rt, { path, to: args.to ?? null }).catch((e) => {
    if (e instanceof ValidationError) fail(e.message, 2);
    throw e;
  });
  if (job.messages > 0) console.error(`continuing job ${job.id}: ${summary(job)} so far`);
  const done = await runImport(rt, job.id, {
    signal: stop.signal,
    maxBytes: config.maxMessageBytes,
    onProgress: (j) => progress(j.done, j.total, summary(j)),
  });
  progress(done.done, done.total, summary(done), true);
  for (const error of done.errors.slice(-10)) console.error(`  ${error.where}: ${error.message}`);
  if (done.status === "failed") Deno.exitCode = 1;
  else if (done.status !== "done") console.error("stopped; run the same command again to continue");
  console.log(`${done.status}: ${summary(done)}`);
} finally {
  Deno.removeSignalListener("SIGINT", onSignal);
  await store.close();
}
