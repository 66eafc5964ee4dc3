/**
 * Opens the libSQL database through Kysely and runs migrations.
 *
 * libSQL's embedded driver is synchronous underneath and pools several connections. Two write
 * transactions on different connections of this process would make the second busy-wait, blocking
 * the event loop the first one needs to finish, so every write goes through `writeTx`, which
 * serializes writers in-process (with group commit: db/group_commit.ts). Reads run concurrently
 * (WAL lets them). Other processes on the same file (`deno task token`, a second server) are
 * waited for: every connection gets a busy timeout, so a write that meets theirs waits up to
 * BUSY_TIMEOUT_MS instead of failing with SQLITE_BUSY.
 */
import { createClient } from "@libsql/client";
import { LibsqlDialect } from "@libsql/kysely-libsql";
import { Kysely, sql, type Transaction } from "kysely";
import { Migrator } from "kysely/migration";
import type { Database } from "./schema.ts";
import { createGroupWriter } from "./group_commit.ts";
import { EmbeddedDialect, filePath } from "./embedded.ts";
import { createReadPool, type ReadPoolStats } from "./read_pool.ts";
import type { PeriodReportInput } from "./period_report.ts";
import type { ReportSummary } from "../domain/report/summary.ts";
import * as m0001 from "./migrations/0001_initial.ts";
import * as m0003 from "./migrations/0003_timers.ts";
import * as m0002 from "./migrations/0002_customer_channel.ts";
import * as m0004 from "./migrations/0004_agent_prefs.ts";
import * as m0005 from "./migrations/0005_sla.ts";
import * as m0006 from "./migrations/0006_reminders.ts";
import * as m0008 from "./migrations/0008_housekeeping.ts";
import * as m0007 from "./migrations/0007_due_index.ts";
import * as m0009 from "./migrations/0009_reliability.ts";
import * as m0010 from "./migrations/0010_list_indexes.ts";
import * as m0011 from "./migrations/0011_suppressed_addresses.ts";
import * as m0016 from "./migrations/0016_knowledge.ts";

/** How long a write waits for another process's transaction before failing with SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5_000;
import * as m0017 from "./migrations/0017_report_facts.ts";
import * as m0018 from "./migrations/0018_mailops.ts";
import * as m0019 from "./migrations/0019_import_jobs.ts";
import * as m0023 from "./migrations/0023_hygiene.ts";
import * as m0022 from "./migrations/0022_report_schedules.ts";
import * as m0025 from "./migrations/0025_composer.ts";
import * as m0012 from "./migrations/0012_team.ts";
import * as m0013 from "./migrations/0013_outbox_system_mail.ts";
import * as m0014 from "./migrations/0014_ticket_version.ts";
import * as m0015 from "./migrations/0015_search.ts";
import * as m0020 from "./migrations/0020_team_routing.ts";
import * as m0021 from "./migrations/0021_guard_live.ts";
import * as m0024 from "./migrations/0024_search_words.ts";
import * as m0027 from "./migrations/0027_tag_counts.ts";
import * as m0028 from "./migrations/0028_sla_count_indexes.ts";
import { createReadMemo, type ReadMemo } from "./read_memo.ts";
import * as m0029 from "./migrations/0029_clipped_bodies.ts";
import { flushSearch, indexPending } from "./search.ts";

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;

/** The database handle the app passes around: Kysely plus the single-writer lock. */
export interface Store {
  db: Db;
  /**
   * For reads that can be slow (search, reports, exports, the dashboard): the read pool's
   * workers (db/read_pool.ts) when the store has one, else `db` itself.
   */
  reader: Db;
  /** The read pool's state, when there is one. */
  readPool?: () => ReadPoolStats;
  /**
   * A period's report computed whole on a read worker (db/period_report.ts), when there is a
   * pool: reads and summary both, off the thread that serves SMTP and HTTP.
   */
  report?: (input: PeriodReportInput) => Promise<ReportSummary>;
  /** Stops read workers with nothing in flight now (they also stop after 30 s idle). */
  stopIdleReaders?: () => void;
  /** Runs fn in a write transaction, one writer at a time; resolves once committed. */
  writeTx<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Says a write is on its way so the writer lingers for it; call the result once it is queued. */
  announceWrite(): () => void;
  /** Repeated reads kept while nothing is committed (db/read_memo.ts). */
  memo: ReadMemo;
  close(): Promise<void>;
}

/** Opens (creating if needed) the database at url and migrates it to the latest schema. */
export async function openStore(
  url: string,
  options: {
    authToken?: string | null;
    /** Read workers for `reader` (a `file:` database only; 0 or absent: none, reads in-process). */
    readWorkers?: number;
  } = {},
): Promise<Store> {
  if (url.startsWith("file:")) {
    // The path the engine opens (file:x.db, file:/abs/x.db, file:///abs/x.db alike).
    const path = filePath(url);
    const dir = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : ".";
    if (dir) await Deno.mkdir(dir, { recursive: true });
  }
  let db: Kysely<Database>;
  let closeClient = () => {};
  let dataVersion: (() => number) | null = null;
  if (url.startsWith("file:")) {
    // The engine directly (db/embedded.ts): the same rows and errors as @libsql/client, at a
    // fraction of its cost per statement. Every connection waits BUSY_TIMEOUT_MS for another
    // process's lock; WAL (kept in the file) lets readers and the one writer overlap; FULL sync
    // (per connection): a commit is on disk before SMTP says 250.
    const dialect = new EmbeddedDialect(url, {
      timeout: BUSY_TIMEOUT_MS,
      onOpen: ["PRAGMA synchronous=FULL"],
    });
    db = new Kysely<Database>({ dialect });
    await sql`PRAGMA journal_mode=WAL`.execute(db);
    if (dialect.pool.dataVersion() !== null) dataVersion = () => dialect.pool.dataVersion()!;
  } else {
    // A libSQL server: `timeout` is ignored there; the server owns durability.
    const client = createClient({
      url,
      authToken: options.authToken ?? undefined,
      timeout: BUSY_TIMEOUT_MS,
    });
    // @libsql/kysely-libsql pins an older client type; the runtime API is the same.
    // deno-lint-ignore no-explicit-any
    db = new Kysely<Database>({ dialect: new LibsqlDialect({ client: client as any }) });
    closeClient = () => client.close();
  }
  await migrate(db);
  await indexExisting(db);

  const writer = createGroupWriter(db, { beforeCommit: flushSearch });
  // An in-memory database exists only on its own connection: a worker would open an empty one.
  const pool =
    (options.readWorkers ?? 0) > 0 && url.startsWith("file:") && !url.includes(":memory:")
      ? createReadPool(url, { size: options.readWorkers, busyTimeoutMs: BUSY_TIMEOUT_MS })
      : null;
  async function close() {
    await pool?.close();
    await writer.drained();
    await db.destroy();
    closeClient();
  }
  return {
    db,
    reader: pool?.db ?? db,
    readPool: pool?.stats,
    report: pool?.report,
    stopIdleReaders: pool?.stopIdle,
    writeTx: writer.write,
    announceWrite: writer.announce,
    memo: createReadMemo(dataVersion),
    close,
  };
}

const migrations = {
  "0001_initial": m0001,
  "0003_timers": m0003,
  "0002_customer_channel": m0002,
  "0004_agent_prefs": m0004,
  "0005_sla": m0005,
  "0006_reminders": m0006,
  "0008_housekeeping": m0008,
  "0007_due_index": m0007,
  "0009_reliability": m0009,
  "0010_list_indexes": m0010,
  "0011_suppressed_addresses": m0011,
  "0016_knowledge": m0016,
  "0017_report_facts": m0017,
  "0018_mailops": m0018,
  "0019_import_jobs": m0019,
  "0023_hygiene": m0023,
  "0022_report_schedules": m0022,
  "0012_team": m0012,
  "0013_outbox_system_mail": m0013,
  "0014_ticket_version": m0014,
  "0015_search": m0015,
  "0020_team_routing": m0020,
  "0021_guard_live": m0021,
  "0025_composer": m0025,
  "0024_search_words": m0024,
  "0027_tag_counts": m0027,
  "0028_sla_count_indexes": m0028,
  "0029_clipped_bodies": m0029,
};

/**
 * Indexes messages queued by migration 0015 (all of an existing database), with progress on the
 * log. Each batch commits with its queue rows deleted, so a stopped start resumes where it was.
 */
async function indexExisting(db: Kysely<Database>) {
  const started = performance.now();
  let last = 0;
  let announced = false;
  const done = await indexPending(db, (done, total) => {
    if (total < 20_000) return;
    if (!announced) {
      announced = true;
      console.log(
        `search index: indexing ${total} existing messages (the server starts when done; ` +
          `stopping is safe, the next start resumes)`,
      );
    }
    if (done < total && done - last < 20_000) return;
    last = done;
    const seconds = (performance.now() - started) / 1000;
    const rate = done / Math.max(seconds, 0.001);
    const left = Math.ceil((total - done) / Math.max(rate, 1));
    console.log(
      `search index: ${done} / ${total} messages (${Math.floor((done / total) * 100)} %, ` +
        `${Math.round(rate)}/s${done < total ? `, about ${left} s left` : ""})`,
    );
  });
  if (announced) {
    console.log(
      `search index: ${done} messages indexed in ${
        ((performance.now() - started) / 1000).toFixed(0)
      } s`,
    );
  }
}

async function migrate(db: Kysely<Database>) {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(migrations) },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    throw new Error(`Cannot migrate the database (migration ${failed}): ${error}`);
  }
}
