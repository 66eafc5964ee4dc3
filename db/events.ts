/** The audit trail: who did what to which ticket, when. */
import type { Db, Tx } from "./client.ts";

/** Appends an audit event. */
export async function recordEvent(
  tx: Tx,
  e: { ticketId: number | null; agentId: number | null; kind: string; data?: unknown; now: number },
): Promise<void> {
  await tx.insertInto("events").values({
    ticket_id: e.ticketId,
    agent_id: e.agentId,
    kind: e.kind,
    data_json: JSON.stringify(e.data ?? {}),
    created_at: e.now,
  }).execute();
}

/** The events of a ticket, oldest first, with the agent's name. */
export function listTicketEvents(db: Db, ticketId: number) {
  return db.selectFrom("events").leftJoin("agents", "agents.id", "events.agent_id")
    .select([
      "events.id",
      "events.kind",
      "events.data_json as dataJson",
      "events.created_at as createdAt",
      "agents.name as agentName",
    ])
    .where("events.ticket_id", "=", ticketId).orderBy("events.id").execute();
}
