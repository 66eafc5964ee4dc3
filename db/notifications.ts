/** In-app notifications for agents (SLA warnings and breaches, customer replies), with a read mark. */
import type { Db, Tx } from "./client.ts";

export interface Notification {
  id: number;
  ticketId: number | null;
  ticketNumber: number | null;
  ticketSubject: string | null;
  kind: string;
  data: Record<string, unknown>;
  createdAt: number;
  readAt: number | null;
}

/** Adds the same notification for each agent. */
export async function insertNotifications(
  tx: Tx,
  agentIds: number[],
  n: { ticketId: number | null; kind: string; data: Record<string, unknown>; now: number },
): Promise<void> {
  if (agentIds.length === 0) return;
  const data_json = JSON.stringify(n.data);
  await tx.insertInto("notifications").values(agentIds.map((agent_id) => ({
    agent_id,
    ticket_id: n.ticketId,
    kind: n.kind,
    data_json,
    created_at: n.now,
  }))).execute();
}

/** An agent's latest notifications, newest first. */
export async function listNotifications(
  db: Db,
  agentId: number,
  limit = 100,
): Promise<Notification[]> {
  const rows = await db.selectFrom("notifications")
    .leftJoin("tickets", "tickets.id", "notifications.ticket_id")
    .select([
      "notifications.id",
      "notifications.ticket_id as ticketId",
      "tickets.number as ticketNumber",
      "tickets.subject as ticketSubject",
      "notifications.kind",
      "notifications.data_json",
      "notifications.created_at as createdAt",
      "notifications.read_at as readAt",
    ])
    .where("notifications.agent_id", "=", agentId)
    .orderBy("notifications.id", "desc").limit(limit).execute();
  return rows.map(({ data_json, ...r }) => ({ ...r, data: JSON.parse(data_json) }));
}

/** How many notifications the agent has not read. */
export async function countUnreadNotifications(db: Db, agentId: number): Promise<number> {
  const row = await db.selectFrom("notifications")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("agent_id", "=", agentId).where("read_at", "is", null).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Marks one (or, without an id, every) notification of the agent as read. */
export async function markNotificationsRead(
  tx: Tx,
  agentId: number,
  now: number,
  id?: number,
): Promise<void> {
  let q = tx.updateTable("notifications").set({ read_at: now }).where("agent_id", "=", agentId)
    .where("read_at", "is", null);
  if (id !== undefined) q = q.where("id", "=", id);
  await q.execute();
}

/** Marks every unread notification of the agent about one ticket as read. */
export async function markTicketNotificationsRead(
  tx: Tx,
  agentId: number,
  ticketId: number,
  now: number,
): Promise<void> {
  await tx.updateTable("notifications").set({ read_at: now }).where("agent_id", "=", agentId)
    .where("ticket_id", "=", ticketId).where("read_at", "is", null).execute();
}
