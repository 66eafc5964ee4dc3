/**
 * Moving in: old mail from an mbox file (a Gmail Takeout export), a Maildir or a folder of .eml
 * files, filed through the same path as SMTP (`receiveMail`) with `imported: true` — no auto-reply,
 * no notices, since the mail is old.
 *
 * - Threads are kept: messages are filed in date order (their Date headers; file order among
 *   equal dates — mail/mailbox_source.ts `indexSource`), so a reply comes after what it answers
 *   and joins its ticket by In-Reply-To/References as over SMTP.
 * - Old mail starts nothing: no SLA clocks, no reminders, no automatic assignment or mail, no
 *   notices (services/inbound_mail.ts, `imported`).
 * - Every imported raw message remembers its job and where in the source it came from
 *   (`imported_raw`): mail that lands in quarantine is listed with its import.
 * - Idempotent: a message already filed is recognised by the duplicate rule (domain/duplicate.ts)
 *   and counted, not filed again.
 * - Resumable: one job per source (import_jobs) holds the position after the last message (the
 *   number filed, in `offset`, with the index's fingerprint in `cursor`), written in the
 *   transaction that filed that message. A source that changed since starts again from its
 *   first message (everything filed before is recognised as a duplicate). A run that stops (killed, Ctrl-C, a crash)
 *   continues after the last committed message; none is filed twice.
 * - Mail that cannot be parsed goes to quarantine, as over SMTP; a message bigger than the SMTP
 *   limit is skipped and listed among the job's errors.
 */
import { resolve } from "node:path";
import {
  advanceImportJob,
  findImportJob,
  findImportJobBySource,
  type ImportJob,
  type ImportOutcome,
  insertImportJob,
  recordImportError,
  setImportJobStatus,
} from "../db/import_jobs.ts";
import { ConflictError, ValidationError } from "../domain/errors.ts";
import {
  DATE_ORDER,
  detectSource,
  indexSource,
  readIndexed,
  readSource,
  SourceError,
  type SourceKind,
} from "../mail/mailbox_source.ts";
import { recordImportedRaw } from "../db/imported_raw.ts";
import { importEnvelope } from "../mail/import_envelope.ts";
import { parseMail } from "../mail/parse_pool.ts";
import type { Tx } from "../db/client.ts";
import { type Runtime, SYSTEM, transact } from "./context.ts";
import { type IngestResult, receiveMail, type ReceiveOptions } from "./inbound_mail.ts";
import { isBusyError } from "../db/errors.ts";

const ADDRESS = /^[^\s<>(),;:@"]+@[^\s<>(),;:@"]+\.[^\s<>(),;:@"]+$/;

/** The job for a source: the existing one (to continue), or a new one. */
export async function prepareImport(
  rt: Runtime,
  input: { path: string; to?: string | null },
): Promise<ImportJob> {
  const to = input.to?.trim().toLowerCase() || null;
  if (to !== null && !ADDRESS.test(to)) throw new ValidationError(`Not an e-mail address: ${to}`);
  let source: string;
  try {
    source = await Deno.realPath(resolve(input.path));
  } catch {
    throw new ValidationError(`No such file or folder: ${input.path}`);
  }
  let detected: { kind: SourceKind; total: number };
  try {
    detected = await detectSource(source);
  } catch (e) {
    throw new ValidationError(e instanceof Error ? e.message : String(e));
  }
  return await transact(rt, SYSTEM, async ({ tx, now }) => {
    const existing = await findImportJobBySource(tx, source);
    if (existing) {
      if (existing.kind !== detected.kind) {
        throw new ValidationError(`${source} was imported as ${existing.kind} before`);
      }
      await setImportJobStatus(tx, existing.id, {
        status: existing.status === "running" ? "running" : "pending",
        total: detected.total,
        now,
        ...(to === null ? {} : { rcptTo: to }),
      });
    } else {
      await insertImportJob(tx, {
        source,
        kind: detected.kind,
        rcptTo: to,
        total: detected.total,
        now,
      });
    }
    return (await findImportJobBySource(tx, source))!;
  });
}

export interface RunOptions {
  /** Stops between messages; the job stays resumable. */
  signal?: AbortSignal;
  /** Called after each message with the job as it now stands. */
  onProgress?: (job: ImportJob) => void;
  /** Larger messages are skipped and reported (default: 25 MiB, the SMTP limit). */
  maxBytes?: number;
  /** Waits before retrying a message the busy database refused (tests pass a quick one). */
  busyDelay?: (attempt: number) => Promise<void>;
  /** The MIME parser (tests swap it to prove unparseable mail is quarantined). */
  parse?: ReceiveOptions["parse"];
}

function outcomeOf(result: IngestResult): ImportOutcome {
  return result.kind;
}

/** Files the rest of a job's source; resolves with the job when it stops or is done. */
export async function runImport(
  rt: Runtime,
  jobId: number,
  options: RunOptions = {},
): Promise<ImportJob> {
  const job = await findImportJob(rt.store.db, jobId);
  if (!job) throw new ValidationError(`No import job ${jobId}`);
  await transact(
    rt,
    SYSTEM,
    ({ tx, now }) => setImportJobStatus(tx, jobId, { status: "running", now }),
  );
  const live = { ...job, status: "running" as const };
  const maxBytes = options.maxBytes ?? 25 * 1024 * 1024;
  let index;
  try {
    index = await indexSource(job.source, job.kind, maxBytes);
  } catch (e) {
    return await failJob(rt, job, e);
  }
  const cursor = `${DATE_ORDER}:${index.fingerprint}`;
  // Resume only in the same index; otherwise from the start (duplicates make that safe).
  const start = job.cursor === cursor && job.offset <= index.entries.length ? job.offset : 0;
  await transact(
    rt,
    SYSTEM,
    ({ tx, now }) =>
      setImportJobStatus(tx, jobId, { status: "running", now, total: index.entries.length }),
  );
  live.total = index.entries.length;
  // Where this run is: each step moves the job from here, or finds another run did.
  let from = { offset: job.offset, cursor: job.cursor };
  const advance = async (tx: Tx, step: Parameters<typeof advanceImportJob>[2]) => {
    if (!await advanceImportJob(tx, jobId, step)) {
      throw new ConflictError("Another run is importing this source");
    }
  };
  const busyDelay = options.busyDelay ??
    ((attempt: number) =>
      new Promise<void>((r) => setTimeout(r, Math.min(5000, 100 * 2 ** attempt))));
  try {
    const messages = readIndexed(job.source, job.kind, index, { from: start, cursor, maxBytes });
    for await (const item of messages) {
      if (options.signal?.aborted) break;
      const step = { from, offset: item.nextOffset, cursor: item.cursor, done: item.done };
      if ("oversize" in item) {
        await transact(rt, SYSTEM, async ({ tx, now }) => {
          await advance(tx, { ...step, outcome: "skipped", now });
          await recordImportError(tx, jobId, {
            at: now,
            where: item.where,
            message: `Too large (${item.size} bytes); not imported`,
          });
        });
        live.skipped++;
      } else {
        const envelope = importEnvelope(item.raw, job.rcptTo);
        let result: IngestResult;
        for (let attempt = 0;; attempt++) {
          try {
            result = await receiveMail(rt, item.raw, envelope, {
              imported: true,
              parse: options.parse,
              within: async ({ tx, now }, r) => {
                await advance(tx, { ...step, outcome: outcomeOf(r), now });
                if (r.kind !== "duplicate") {
                  await recordImportedRaw(tx, { rawId: r.rawId, jobId, where: item.where });
                }
                if (r.kind === "quarantined") {
                  await recordImportError(tx, jobId, {
                    at: now,
                    where: item.where,
                    message: `Quarantined: ${r.reason}`,
                  });
                }
              },
            });
            break;
          } catch (e) {
            if (!isBusyError(e) || attempt >= 20) throw e;
            await busyDelay(attempt);
          }
        }
        const counter = result.kind === "duplicate" ? "duplicates" : result.kind;
        live[counter]++;
      }
      from = { offset: step.offset, cursor: step.cursor };
      live.messages++;
      live.offset = step.offset;
      live.cursor = step.cursor;
      live.done = step.done;
      options.onProgress?.({ ...live });
    }
    const finished = !options.signal?.aborted;
    await transact(
      rt,
      SYSTEM,
      ({ tx, now }) =>
        setImportJobStatus(tx, jobId, { status: finished ? "done" : "pending", now }),
    );
  } catch (e) {
    // Another run has this job: it goes on; this one stops without a word on the job.
    if (e instanceof ConflictError) return (await findImportJob(rt.store.db, jobId))!;
    return await failJob(rt, job, e);
  }
  return (await findImportJob(rt.store.db, jobId))!;
}

async function failJob(rt: Runtime, job: ImportJob, e: unknown): Promise<ImportJob> {
  const message = e instanceof SourceError || e instanceof Error ? e.message : String(e);
  console.error(`import ${job.source}:`, e);
  await transact(rt, SYSTEM, async ({ tx, now }) => {
    await recordImportError(tx, job.id, { at: now, where: job.source, message });
    await setImportJobStatus(tx, job.id, { status: "failed", now });
  });
  return (await findImportJob(rt.store.db, job.id))!;
}

export interface DryRunReport {
  kind: SourceKind;
  messages: number;
  /** Would be quarantined: the MIME parser refuses them. */
  unparseable: number;
  tooLarge: number;
  /** No recipient in Delivered-To/To/Cc and none given. */
  withoutRecipient: number;
}

/** Reads a source through and reports what an import would meet; writes nothing. */
export async function dryRunImport(
  input: { path: string; to?: string | null },
  options: { maxBytes?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<DryRunReport> {
  const source = resolve(input.path);
  const { kind, total } = await detectSource(source);
  const report: DryRunReport = {
    kind,
    messages: 0,
    unparseable: 0,
    tooLarge: 0,
    withoutRecipient: 0,
  };
  const items = readSource(source, kind, { offset: 0, cursor: null }, options.maxBytes ?? 25 << 20);
  for await (const item of items) {
    report.messages++;
    if ("oversize" in item) report.tooLarge++;
    else {
      try {
        await parseMail(item.raw);
      } catch {
        report.unparseable++;
      }
      if (importEnvelope(item.raw, input.to ?? null).rcptTo.length === 0) report.withoutRecipient++;
    }
    options.onProgress?.(item.done, total);
  }
  return report;
}
