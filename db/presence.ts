/**
 * Presence (migration 0021): who views or writes a ticket, one row per agent and ticket,
 * refreshed by the page's beats. A row past `expires_at` counts as gone; every process reads the
 * same rows, so presence is right however many processes serve the pages.
 */
import type { Db, Tx } from "./client.ts";

export type PresenceState = "viewing" | "writing";

export interface PresencePerson {
  id: number;
  name: string;
  state: PresenceState;
}

/** An agent's current (unexpired) presence on a ticket. */
export async function findPresence(
  db: Db | Tx,
  ticketId: number,
  agentId: number,
  now: number,
): Promise<PresenceState | undefined> {
  const row = await db.selectFrom("presence").select("state")
    .where("ticket_id", "=", ticketId).where("agent_id", "=", agentId)
    .where("expires_at", ">", now).executeTakeFirst();
  return row?.state;
}

/** Records (or refreshes) an agent's presence until `expiresAt`. */
export async function upsertPresence(
  tx: Tx,
  p: { ticketId: number; agentId: number; state: PresenceState; expiresAt: number },
): Promise<void> {
  await tx.insertInto("presence").values({
    ticket_id: p.ticketId,
    agent_id: p.agentId,
    state: p.state,
    expires_at: p.expiresAt,
  }).onConflict((oc) =>
    oc.columns(["ticket_id", "agent_id"]).doUpdateSet({
      state: p.state,
      expires_at: p.expiresAt,
    })
  ).execute();
}

/** Removes an agent's presence; true when it was there (unexpired). */
export async function deletePresence(
  tx: Tx,
  ticketId: number,
  agentId: number,
  now: number,
): Promise<boolean> {
  const was = await findPresence(tx, ticketId, agentId, now);
  await tx.deleteFrom("presence").where("ticket_id", "=", ticketId)
    .where("agent_id", "=", agentId).execute();
  return was !== undefined;
}

/** Deletes rows expired before `before` (by the expires_at index). */
export async function pruneExpiredPresence(tx: Tx, before: number): Promise<void> {
  await tx.deleteFrom("presence").where("expires_at", "<", before).execute();
}

/** Who is on each of the tickets now, by ticket id. */
export async function presenceOf(
  db: Db | Tx,
  ticketIds: readonly number[],
  now: number,
): Promise<Map<number, PresencePerson[]>> {
  const out = new Map<number, PresencePerson[]>();
  if (ticketIds.length === 0) return out;
  const rows = await db.selectFrom("presence")
    .innerJoin("agents", "agents.id", "presence.agent_id")
    .select(["presence.ticket_id as ticketId", "agents.id", "agents.name", "presence.state"])
    .where("presence.ticket_id", "in", [...ticketIds]).where("presence.expires_at", ">", now)
    .orderBy("presence.ticket_id").orderBy("agents.id").execute();
  for (const r of rows) {
    const list = out.get(r.ticketId) ?? [];
    list.push({ id: r.id, name: r.name, state: r.state });
    out.set(r.ticketId, list);
  }
  return out;
}

/** Tickets where someone's presence expired in (from, to]: they left without saying so. */
export async function ticketsWithPresenceExpired(
  db: Db | Tx,
  from: number,
  to: number,
): Promise<number[]> {
  if (to <= from) return [];
  const rows = await db.selectFrom("presence").select("ticket_id").distinct()
    .where("expires_at", ">", from).where("expires_at", "<=", to).execute();
  return rows.map((r) => r.ticket_id);
}
