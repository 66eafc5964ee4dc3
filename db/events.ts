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

/** How many events of a kind were recorded since `since` on the tickets of a customer's address. */
export async function countCustomerEvents(
  db: Db | Tx,
  q: { email: string; kind: string; since: number },
): Promise<number> {
  const row = await db.selectFrom("customers")
    .innerJoin("tickets", "tickets.customer_id", "customers.id")
    .innerJoin("events", "events.ticket_id", "tickets.id")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("customers.email", "=", q.email.toLowerCase())
    .where("events.kind", "=", q.kind)
    .where("events.created_at", ">=", q.since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
