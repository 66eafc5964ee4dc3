/**
 * Replies held in 迷惑メール: a reply to a ticket that scored as spam is filed as a ticket of its
 * own in the spam folder, linked to the ticket it claims to answer (migration 0023).
 */
import type { Db, Tx } from "./client.ts";

export interface SpamReplyLink {
  spamTicketId: number;
  targetTicketId: number;
  targetNumber: number;
  createdAt: number;
  movedAt: number | null;
}

/** Links a spam ticket holding a reply to the ticket the reply claims to answer. */
export async function linkSpamReply(
  tx: Tx,
  link: { spamTicketId: number; targetTicketId: number; now: number },
): Promise<void> {
  await tx.insertInto("spam_reply_links").values({
    spam_ticket_id: link.spamTicketId,
    target_ticket_id: link.targetTicketId,
    created_at: link.now,
    moved_at: null,
  }).execute();
}

/** The link of a spam ticket, or undefined when it holds no reply to another ticket. */
export async function findSpamReplyLink(
  db: Db | Tx,
  spamTicketId: number,
): Promise<SpamReplyLink | undefined> {
  const row = await db.selectFrom("spam_reply_links")
    .innerJoin("tickets", "tickets.id", "spam_reply_links.target_ticket_id")
    .select([
      "spam_reply_links.spam_ticket_id as spamTicketId",
      "spam_reply_links.target_ticket_id as targetTicketId",
      "tickets.number as targetNumber",
      "spam_reply_links.created_at as createdAt",
      "spam_reply_links.moved_at as movedAt",
    ])
    .where("spam_reply_links.spam_ticket_id", "=", spamTicketId)
    .executeTakeFirst();
  return row && { ...row, targetNumber: Number(row.targetNumber) };
}

/** Marks the held reply as moved into its target's thread. */
export async function markSpamReplyMoved(tx: Tx, spamTicketId: number, now: number): Promise<void> {
  await tx.updateTable("spam_reply_links").set({ moved_at: now })
    .where("spam_ticket_id", "=", spamTicketId).execute();
}

/**
 * Moves every message of one ticket into another and counts them there; returns the moved
 * messages (id, auto kind, sender), oldest first.
 */
export async function moveTicketMessages(
  tx: Tx,
  input: { fromTicketId: number; toTicketId: number; now: number },
): Promise<{ id: number; autoKind: string; from: string }[]> {
  const moved = await tx.selectFrom("messages")
    .select(["id", "auto_kind as autoKind", "from_address as from"])
    .where("ticket_id", "=", input.fromTicketId).orderBy("id").execute();
  if (moved.length === 0) return [];
  await tx.updateTable("messages").set({ ticket_id: input.toTicketId })
    .where("ticket_id", "=", input.fromTicketId).execute();
  await tx.updateTable("tickets").set({ message_count: 0, updated_at: input.now })
    .where("id", "=", input.fromTicketId).execute();
  await tx.updateTable("tickets").set((eb) => ({
    message_count: eb("message_count", "+", moved.length),
    last_message_at: input.now,
    updated_at: input.now,
  })).where("id", "=", input.toTicketId).execute();
  return moved;
}

/** The numbers of spam tickets holding replies to a ticket, not moved there (newest last). */
export async function heldRepliesFor(db: Db | Tx, targetTicketId: number): Promise<number[]> {
  const rows = await db.selectFrom("spam_reply_links")
    .innerJoin("tickets", "tickets.id", "spam_reply_links.spam_ticket_id")
    .select("tickets.number")
    .where("spam_reply_links.target_ticket_id", "=", targetTicketId)
    .where("spam_reply_links.moved_at", "is", null)
    .where("tickets.status", "=", "spam")
    .orderBy("spam_reply_links.spam_ticket_id").limit(20).execute();
  return rows.map((r) => Number(r.number));
}
