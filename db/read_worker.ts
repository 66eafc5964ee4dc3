/**
 * One lane of the read pool (db/read_pool.ts): a Worker with its own read-only connection to the
 * database file. It runs the SQL the main thread compiled and posts the rows back, so a slow
 * report or search spends its time here while the main thread keeps serving SMTP and HTTP.
 *
 * The connection is opened by the same client, with the same statement cache and integer mode, as
 * the main thread's, so a row arrives exactly as it would have there: structured cloning keeps a
 * libSQL row's named columns, which is all Kysely reads. `query_only` makes any write an error:
 * writes belong to the one writer on the main thread.
 */
import { createClient, type InArgs } from "@libsql/client";
import { installStatementCache } from "./statement_cache.ts";
import type { ReadAnswer, ReadMessage } from "./read_pool.ts";

let client: ReturnType<typeof createClient> | null = null;
let opening: Promise<void> | null = null;
let openError: unknown = null;

async function open(url: string, busyTimeoutMs: number, cacheKiB: number) {
  installStatementCache();
  try {
    // One connection: reads arrive one after another on this thread anyway.
    const c = createClient({ url, timeout: busyTimeoutMs, concurrency: 1 });
    await c.execute("PRAGMA query_only = 1");
    await c.execute(`PRAGMA cache_size = -${Math.max(64, Math.floor(cacheKiB))}`);
    client = c;
  } catch (e) {
    openError = e;
  }
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
    if (!client) throw openError ?? new Error("Read worker has no database");
    const result = await client.execute({ sql: msg.sql, args: msg.args as InArgs });
    answer = {
      id: msg.id,
      ok: true,
      rows: result.rows as unknown as Record<string, unknown>[],
      rowsAffected: result.rowsAffected,
    };
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
