/** Reply drafts: one per agent and ticket, saved as the agent types (migration 0014). */
import type { Db, Tx } from "./client.ts";

export interface ReplyDraft {
  ticketId: number;
  agentId: number;
  agentName: string;
  text: string;
  version: number;
  updatedAt: number;
}

/** Saves (or replaces) an agent's draft on a ticket. */
export async function saveReplyDraft(
  tx: Tx,
  d: { ticketId: number; agentId: number; text: string; version: number; now: number },
): Promise<void> {
  await tx.insertInto("reply_drafts").values({
    ticket_id: d.ticketId,
    agent_id: d.agentId,
    text: d.text,
    version: d.version,
    updated_at: d.now,
  }).onConflict((oc) =>
    oc.columns(["ticket_id", "agent_id"]).doUpdateSet({
      text: d.text,
      version: d.version,
      updated_at: d.now,
    })
  ).execute();
}

/** Deletes an agent's draft on a ticket; true when there was one. */
export async function deleteReplyDraft(tx: Tx, ticketId: number, agentId: number) {
  const r = await tx.deleteFrom("reply_drafts").where("ticket_id", "=", ticketId)
    .where("agent_id", "=", agentId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Every draft on a ticket (the agent's own and colleagues'), newest first. */
export async function listReplyDrafts(db: Db | Tx, ticketId: number): Promise<ReplyDraft[]> {
  return await db.selectFrom("reply_drafts")
    .innerJoin("agents", "agents.id", "reply_drafts.agent_id")
    .select([
      "reply_drafts.ticket_id as ticketId",
      "reply_drafts.agent_id as agentId",
      "agents.name as agentName",
      "reply_drafts.text",
      "reply_drafts.version",
      "reply_drafts.updated_at as updatedAt",
    ])
    .where("reply_drafts.ticket_id", "=", ticketId)
    .orderBy("reply_drafts.updated_at", "desc").execute();
}

/** Who has a draft on each of these tickets (for inbox rows and live events). */
export async function draftersOf(
  db: Db | Tx,
  ticketIds: number[],
): Promise<Map<number, { id: number; name: string }[]>> {
  const out = new Map<number, { id: number; name: string }[]>();
  if (ticketIds.length === 0) return out;
  const rows = await db.selectFrom("reply_drafts")
    .innerJoin("agents", "agents.id", "reply_drafts.agent_id")
    .select(["reply_drafts.ticket_id as ticketId", "agents.id", "agents.name"])
    .where("reply_drafts.ticket_id", "in", ticketIds)
    .orderBy("reply_drafts.updated_at").execute();
  for (const r of rows) {
    const list = out.get(r.ticketId) ?? [];
    list.push({ id: r.id, name: r.name });
    out.set(r.ticketId, list);
  }
  return out;
}
