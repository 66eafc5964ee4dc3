/** Send delay (送信取消): the agent's delay and the outbox rows a delay still holds (0014). */
import type { Db, Tx } from "./client.ts";

/** The agent's send delay in seconds (0: none). */
export async function findSendDelay(db: Db | Tx, agentId: number): Promise<number> {
  const row = await db.selectFrom("agents").select("send_delay_seconds").where("id", "=", agentId)
    .executeTakeFirst();
  return row?.send_delay_seconds ?? 0;
}

/** Sets the agent's send delay. */
export async function updateSendDelay(tx: Tx, agentId: number, seconds: number): Promise<void> {
  await tx.updateTable("agents").set({ send_delay_seconds: seconds }).where("id", "=", agentId)
    .execute();
}

/** Holds a just-queued mail in the outbox until `until` (the worker sends what is due). */
export async function holdQueuedMail(tx: Tx, messageId: number, until: number): Promise<void> {
  await tx.updateTable("outbox").set({ next_attempt_at: until })
    .where("message_id", "=", messageId).where("status", "=", "queued").execute();
}

/** A reply the delay still holds: queued, never tried, due later than `now`. */
export async function findHeldReply(
  db: Db | Tx,
  messageId: number,
  now: number,
): Promise<{ outboxId: number; dueAt: number } | undefined> {
  const row = await db.selectFrom("outbox").select(["id", "next_attempt_at"])
    .where("message_id", "=", messageId).where("status", "=", "queued")
    .where("attempts", "=", 0).where("next_attempt_at", ">", now).executeTakeFirst();
  return row && { outboxId: row.id, dueAt: row.next_attempt_at };
}

/** Removes a held reply: its outbox row and its message; the ticket counts one message fewer. */
export async function deleteHeldReply(
  tx: Tx,
  r: { outboxId: number; messageId: number; ticketId: number },
): Promise<void> {
  await tx.deleteFrom("outbox").where("id", "=", r.outboxId).execute();
  await tx.deleteFrom("attachments").where("message_id", "=", r.messageId).execute();
  await tx.deleteFrom("messages").where("id", "=", r.messageId).execute();
  await tx.updateTable("tickets").set((eb) => ({
    message_count: eb("message_count", "-", 1),
  })).where("id", "=", r.ticketId).execute();
}
