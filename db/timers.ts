/**
 * Durable timers: "at this instant, do this kind of thing to this ticket", kept in the database so
 * they survive restarts. A timer fires at most once: firing marks it in the same transaction as
 * the action it triggers (see loops/scheduler.ts).
 */
import type { Db, Tx } from "./client.ts";

export interface Timer {
  id: number;
  kind: string;
  ticketId: number | null;
  key: string;
  dueAt: number;
  data: Record<string, unknown>;
}

/**
 * Arms or moves a timer. An unfired timer with the same (ticket, kind, key) gets the new due time;
 * a fired one stays fired unless `rearm` is set (a new cycle, e.g. the next customer message).
 */
export async function scheduleTimer(
  tx: Tx,
  t: {
    kind: string;
    ticketId: number | null;
    key?: string;
    dueAt: number;
    data?: Record<string, unknown>;
    rearm?: boolean;
    now: number;
  },
): Promise<void> {
  const key = t.key ?? "";
  const data_json = JSON.stringify(t.data ?? {});
  let q = tx.selectFrom("timers").select(["id", "fired_at"]).where("kind", "=", t.kind)
    .where("key", "=", key);
  q = t.ticketId === null
    ? q.where("ticket_id", "is", null)
    : q.where("ticket_id", "=", t.ticketId);
  const existing = await q.executeTakeFirst();
  if (!existing) {
    await tx.insertInto("timers").values({
      kind: t.kind,
      ticket_id: t.ticketId,
      key,
      due_at: t.dueAt,
      data_json,
      created_at: t.now,
    }).execute();
    return;
  }
  if (existing.fired_at !== null && !t.rearm) return;
  await tx.updateTable("timers").set({ due_at: t.dueAt, data_json, fired_at: null })
    .where("id", "=", existing.id).execute();
}

/** Removes a ticket's unfired timers of the given kinds (e.g. the SLA clock stops). */
export async function cancelTimers(tx: Tx, ticketId: number, kinds: string[]): Promise<void> {
  if (kinds.length === 0) return;
  await tx.deleteFrom("timers").where("ticket_id", "=", ticketId).where("kind", "in", kinds)
    .where("fired_at", "is", null).execute();
}

/** Unfired timers due at or before now, oldest first. */
export async function dueTimers(db: Db, now: number, limit: number): Promise<Timer[]> {
  const rows = await db.selectFrom("timers")
    .select(["id", "kind", "ticket_id", "key", "due_at", "data_json"])
    .where("fired_at", "is", null).where("due_at", "<=", now)
    .orderBy("due_at").orderBy("id").limit(limit).execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    ticketId: r.ticket_id,
    key: r.key,
    dueAt: r.due_at,
    data: JSON.parse(r.data_json),
  }));
}

/** The earliest unfired due time, or null when no timer is armed. */
export async function nextTimerDue(db: Db): Promise<number | null> {
  const row = await db.selectFrom("timers").select("due_at").where("fired_at", "is", null)
    .orderBy("due_at").limit(1).executeTakeFirst();
  return row ? row.due_at : null;
}

/** Claims a timer for firing; false if it already fired or was moved into the future. */
export async function claimTimer(tx: Tx, id: number, now: number): Promise<boolean> {
  const r = await tx.updateTable("timers").set({ fired_at: now }).where("id", "=", id)
    .where("fired_at", "is", null).where("due_at", "<=", now).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** A ticket's timers (armed and fired), for display and tests. */
export async function listTicketTimers(db: Db, ticketId: number) {
  return await db.selectFrom("timers")
    .select([
      "id",
      "kind",
      "key",
      "due_at as dueAt",
      "fired_at as firedAt",
      "data_json as dataJson",
    ])
    .where("ticket_id", "=", ticketId).orderBy("due_at").execute();
}
