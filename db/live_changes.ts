/**
 * The live change feed (migration 0021): "ticket N changed" rows written in the transaction of
 * the change, read by every process's live hub by id (services/live.ts). Old rows are pruned by
 * the writers themselves, now and then, so no process has to run a sweeper.
 */
import type { Db, Tx } from "./client.ts";

export type LiveChangeKind = "ticket" | "presence";

/** How long rows stay: a client away longer than this reloads instead of catching up. */
export const LIVE_RETENTION_MS = 30 * 60_000;

/** Appends one row per distinct (ticket, kind); prunes old rows every 256th id or so. */
export async function recordLiveChanges(
  tx: Tx,
  changes: readonly { ticketId: number; kind?: LiveChangeKind }[],
  now: number,
): Promise<void> {
  const seen = new Set<string>();
  const rows = [];
  for (const c of changes) {
    const kind = c.kind ?? "ticket";
    const key = `${kind}:${c.ticketId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push({ ticket_id: c.ticketId, kind, created_at: now });
  }
  if (rows.length === 0) return;
  const r = await tx.insertInto("live_changes").values(rows).executeTakeFirst();
  const last = Number(r.insertId ?? 0);
  if (last % 256 < rows.length) {
    // A prefix by id (clocks of two processes may disagree): what is kept has no holes.
    const cut = await tx.selectFrom("live_changes").select((eb) => eb.fn.max("id").as("id"))
      .where("created_at", "<", now - LIVE_RETENTION_MS).executeTakeFirst();
    if (cut?.id) await tx.deleteFrom("live_changes").where("id", "<=", cut.id).execute();
  }
}

export interface LiveChange {
  id: number;
  ticketId: number;
  kind: LiveChangeKind;
  createdAt: number;
}

/** Rows after `after` (up to `until` when given), oldest first, at most `limit`. */
export async function liveChangesSince(
  db: Db | Tx,
  after: number,
  options: { until?: number; limit?: number } = {},
): Promise<LiveChange[]> {
  let q = db.selectFrom("live_changes").select([
    "id",
    "ticket_id as ticketId",
    "kind",
    "created_at as createdAt",
  ]).where("id", ">", after);
  if (options.until !== undefined) q = q.where("id", "<=", options.until);
  return await q.orderBy("id").limit(options.limit ?? 1_000).execute();
}

/** The feed's oldest kept id and newest id (0 when empty). */
export async function liveChangeBounds(db: Db | Tx): Promise<{ oldest: number; newest: number }> {
  const row = await db.selectFrom("live_changes")
    .select((eb) => [eb.fn.min("id").as("oldest"), eb.fn.max("id").as("newest")])
    .executeTakeFirst();
  return { oldest: Number(row?.oldest ?? 0), newest: Number(row?.newest ?? 0) };
}

/** The created_at of one row (undefined when pruned). */
export async function liveChangeTime(db: Db | Tx, id: number): Promise<number | undefined> {
  const row = await db.selectFrom("live_changes").select("created_at").where("id", "=", id)
    .executeTakeFirst();
  return row?.created_at;
}
