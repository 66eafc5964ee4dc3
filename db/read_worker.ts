/**
 * One lane of the read pool (db/read_pool.ts): a Worker with its own read-only connection to the
 * database file. It runs the SQL the main thread compiled and posts the rows back, so a slow
 * report or search spends its time here while the main thread keeps serving SMTP and HTTP.
 *
 * The connection is opened by the same driver as the main thread's (db/embedded.ts), so a row
 * arrives exactly as it would have there: plain objects survive structured cloning as they are. `query_only` makes any write an error:
 * writes belong to the one writer on the main thread.
 */
import { Kysely } from "kysely";
import { EmbeddedDialect, type EmbeddedPool } from "./embedded.ts";
import type { ReadAnswer, ReadMessage } from "./read_pool.ts";
import type { Database } from "./schema.ts";

let pool: EmbeddedPool | null = null;
/** The same connection for a whole report's reads (db/period_report.ts). */
let db: Kysely<Database> | null = null;
let opening: Promise<void> | null = null;
let openError: unknown = null;

function open(url: string, busyTimeoutMs: number, cacheKiB: number): Promise<void> {
  try {
    // Reads arrive one after another on this thread: one connection is all it uses.
    const dialect = new EmbeddedDialect(url, {
      timeout: busyTimeoutMs,
      onOpen: [
        "PRAGMA query_only = 1",
        `PRAGMA cache_size = -${Math.max(64, Math.floor(cacheKiB))}`,
      ],
    });
    pool = dialect.pool;
    db = new Kysely<Database>({ dialect });
  } catch (e) {
    openError = e;
  }
  return Promise.resolve();
}

self.onmessage = async (e: MessageEvent<ReadMessage>) => {
  const msg = e.data;
  if (msg.kind === "open") {
    opening = open(msg.url, msg.busyTimeoutMs, msg.cacheKiB);
    return;
  }
  await opening;
  let answer: ReadAnswer;
  try {
    if (!pool || !db) throw openError ?? new Error("Read worker has no database");
    if (msg.kind === "report") {
      // Loaded on the first report: a lane that only searches starts as quickly as before.
      const { readPeriodReport } = await import("./period_report.ts");
      answer = { id: msg.id, ok: true, report: await readPeriodReport(db, msg.input) };
    } else {
      const conn = await pool.acquire();
      try {
        const result = conn.run(msg.sql, msg.args);
        answer = {
          id: msg.id,
          ok: true,
          rows: result.rows,
          rowsAffected: Number(result.numAffectedRows ?? 0n),
        };
      } finally {
        pool.release(conn);
      }
    }
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    answer = {
      id: msg.id,
      ok: false,
      message: error.message,
      name: error.name,
      code: (error as { code?: unknown }).code as string | undefined,
    };
  }
  self.postMessage(answer);
};
