/** Import jobs (db/schema_import.ts): where each import of old mail got to, and what it filed. */
import { sql } from "kysely";
import type { Db, Tx } from "./client.ts";

export type ImportKind = "mbox" | "maildir" | "eml";
export type ImportStatus = "pending" | "running" | "done" | "failed";
export type ImportOutcome = "created" | "joined" | "duplicate" | "quarantined" | "skipped";

export interface ImportError {
  at: number;
  /** Where in the source: `offset 1234` or a file name. */
  where: string;
  message: string;
}

export interface ImportJob {
  id: number;
  source: string;
  kind: ImportKind;
  rcptTo: string | null;
  status: ImportStatus;
  offset: number;
  cursor: string | null;
  total: number;
  done: number;
  messages: number;
  created: number;
  joined: number;
  duplicates: number;
  quarantined: number;
  skipped: number;
  errors: ImportError[];
  createdAt: number;
  updatedAt: number;
  finishedAt: number | null;
}

/** At most this many errors are kept per job (the latest). */
export const KEPT_ERRORS = 50;

// deno-lint-ignore no-explicit-any
function toJob(r: any): ImportJob {
  return {
    id: r.id,
    source: r.source,
    kind: r.kind,
    rcptTo: r.rcpt_to,
    status: r.status,
    offset: r.offset,
    cursor: r.cursor,
    total: r.total,
    done: r.done,
    messages: r.messages,
    created: r.created,
    joined: r.joined,
    duplicates: r.duplicates,
    quarantined: r.quarantined,
    skipped: r.skipped,
    errors: JSON.parse(r.errors),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    finishedAt: r.finished_at,
  };
}

export async function findImportJob(db: Db | Tx, id: number): Promise<ImportJob | null> {
  const r = await db.selectFrom("import_jobs").selectAll().where("id", "=", id)
    .executeTakeFirst();
  return r ? toJob(r) : null;
}

export async function findImportJobBySource(
  db: Db | Tx,
  source: string,
): Promise<ImportJob | null> {
  const r = await db.selectFrom("import_jobs").selectAll().where("source", "=", source)
    .executeTakeFirst();
  return r ? toJob(r) : null;
}

/** The latest jobs first (an admin's page; jobs are few). */
export async function listImportJobs(db: Db | Tx, limit = 50): Promise<ImportJob[]> {
  const rows = await db.selectFrom("import_jobs").selectAll().orderBy("id", "desc").limit(limit)
    .execute();
  return rows.map(toJob);
}

export async function insertImportJob(
  tx: Tx,
  job: { source: string; kind: ImportKind; rcptTo: string | null; total: number; now: number },
): Promise<number> {
  const { id } = await tx.insertInto("import_jobs").values({
    source: job.source,
    kind: job.kind,
    rcpt_to: job.rcptTo,
    status: "pending",
    cursor: null,
    total: job.total,
    created_at: job.now,
    updated_at: job.now,
    finished_at: null,
  }).returning("id").executeTakeFirstOrThrow();
  return id;
}

export async function setImportJobStatus(
  tx: Tx,
  id: number,
  change: { status: ImportStatus; now: number; total?: number; rcptTo?: string | null },
): Promise<void> {
  await tx.updateTable("import_jobs").set({
    status: change.status,
    updated_at: change.now,
    finished_at: change.status === "done" || change.status === "failed" ? change.now : null,
    ...(change.total === undefined ? {} : { total: change.total }),
    ...(change.rcptTo === undefined ? {} : { rcpt_to: change.rcptTo }),
  }).where("id", "=", id).execute();
}

const COUNTER: Record<
  ImportOutcome,
  "created" | "joined" | "duplicates" | "quarantined" | "skipped"
> = {
  created: "created",
  joined: "joined",
  duplicate: "duplicates",
  quarantined: "quarantined",
  skipped: "skipped",
};

/**
 * Moves a job past one message, counting what became of it. Called in the transaction that filed
 * the message, so the position and the filed mail commit together: a re-run never files it twice.
 * Only from the position `from`: false when another run moved the job meanwhile.
 */
export async function advanceImportJob(
  tx: Tx,
  id: number,
  step: {
    from: { offset: number; cursor: string | null };
    offset: number;
    cursor: string | null;
    done: number;
    outcome: ImportOutcome;
    now: number;
  },
): Promise<boolean> {
  const counter = COUNTER[step.outcome];
  const result = await tx.updateTable("import_jobs").set({
    offset: step.offset,
    cursor: step.cursor,
    done: step.done,
    messages: sql<number>`messages + 1`,
    [counter]: sql<number>`${sql.ref(counter)} + 1`,
    updated_at: step.now,
  }).where("id", "=", id).where("offset", "=", step.from.offset)
    .where((eb) =>
      step.from.cursor === null ? eb("cursor", "is", null) : eb("cursor", "=", step.from.cursor)
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Keeps an error on the job (the latest KEPT_ERRORS). */
export async function recordImportError(tx: Tx, id: number, error: ImportError): Promise<void> {
  const job = await findImportJob(tx, id);
  if (!job) return;
  const errors = [...job.errors, error].slice(-KEPT_ERRORS);
  await tx.updateTable("import_jobs").set({
    errors: JSON.stringify(errors),
    updated_at: error.at,
  }).where("id", "=", id).execute();
}

/** The IMAP pull's position in a mailbox: the last UID filed under a UIDVALIDITY. */
export async function imapState(
  db: Db | Tx,
  mailbox: string,
): Promise<{ uidValidity: string; lastUid: number } | null> {
  const r = await db.selectFrom("imap_state").selectAll().where("mailbox", "=", mailbox)
    .executeTakeFirst();
  return r ? { uidValidity: r.uid_validity, lastUid: r.last_uid } : null;
}

export async function saveImapState(
  tx: Tx,
  mailbox: string,
  state: { uidValidity: string; lastUid: number; now: number },
): Promise<void> {
  await tx.insertInto("imap_state").values({
    mailbox,
    uid_validity: state.uidValidity,
    last_uid: state.lastUid,
    updated_at: state.now,
  }).onConflict((oc) =>
    oc.column("mailbox").doUpdateSet({
      uid_validity: state.uidValidity,
      last_uid: state.lastUid,
      updated_at: state.now,
    })
  ).execute();
}
