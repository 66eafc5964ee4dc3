/** The durable outbox: composed mail waiting for, or done with, the relay. */
import type { Db, Tx } from "./client.ts";

export interface OutboxItem {
  id: number;
  messageId: number | null;
  envelopeFrom: string;
  envelopeTo: string[];
  raw: Uint8Array;
  attempts: number;
  createdAt: number;
}

/** Queues composed mail; "held" when no relay is configured (kept, never faked as sent). */
export async function enqueueMail(
  tx: Tx,
  m: {
    /** Null: mail that belongs to no ticket (an invitation). */
    messageId: number | null;
    envelope: { from: string; to: string[] };
    raw: Uint8Array;
    held: boolean;
    /** Why it must not go out (automatic mail to a suppressed address): kept as failed. */
    refused?: string | null;
    now: number;
  },
): Promise<void> {
  await tx.insertInto("outbox").values({
    message_id: m.messageId,
    status: m.refused ? "failed" : m.held ? "held" : "queued",
    envelope_from: m.envelope.from,
    envelope_to: JSON.stringify(m.envelope.to),
    raw: m.raw,
    next_attempt_at: m.now,
    last_error: m.refused ?? (m.held ? "not delivered: no relay configured" : null),
    created_at: m.now,
  }).execute();
}

/**
 * Marks our sent mail as bounced: failed, with the remote server's reason (shown on the ticket as
 * 送信失敗). By its Message-ID, else the newest mail of the ticket to the failed recipient.
 * Returns whether a mail was found.
 */
export async function markOutboundBounced(
  tx: Tx,
  b: { ticketId: number; messageIds: string[]; recipient: string | null; reason: string },
): Promise<boolean> {
  const sent = () =>
    tx.selectFrom("messages").innerJoin("outbox", "outbox.message_id", "messages.id")
      .select("outbox.id").where("messages.ticket_id", "=", b.ticketId)
      .where("messages.direction", "=", "out").orderBy("messages.id", "desc").limit(1);
  const row =
    (b.messageIds.length > 0
      ? await sent().where("messages.message_id", "in", b.messageIds.slice(0, 50))
        .executeTakeFirst()
      : undefined) ??
      (b.recipient
        ? await sent().where("outbox.envelope_to", "like", `%"${b.recipient}"%`).executeTakeFirst()
        : undefined);
  if (!row) return false;
  await tx.updateTable("outbox").set({ status: "failed", last_error: b.reason })
    .where("id", "=", row.id).execute();
  return true;
}

/** Queued items due now, oldest first. */
export async function dueOutboxItems(db: Db, now: number, limit: number): Promise<OutboxItem[]> {
  const rows = await db.selectFrom("outbox")
    .select(["id", "message_id", "envelope_from", "envelope_to", "raw", "attempts", "created_at"])
    .where("status", "=", "queued").where("next_attempt_at", "<=", now)
    .orderBy("next_attempt_at").orderBy("id").limit(limit).execute();
  return rows.map((r) => ({
    id: r.id,
    messageId: r.message_id,
    envelopeFrom: r.envelope_from,
    envelopeTo: JSON.parse(r.envelope_to),
    raw: new Uint8Array(r.raw),
    attempts: r.attempts,
    createdAt: r.created_at,
  }));
}

/** The earliest next attempt among queued items, or null when nothing is queued. */
export async function nextOutboxDue(db: Db): Promise<number | null> {
  const row = await db.selectFrom("outbox")
    .select((eb) => eb.fn.min("next_attempt_at").as("next"))
    .where("status", "=", "queued").executeTakeFirst();
  return row?.next == null ? null : Number(row.next);
}

/** Claims a queued item for sending; false if someone else took it. */
export async function claimOutboxItem(tx: Tx, id: number): Promise<boolean> {
  const r = await tx.updateTable("outbox").set({ status: "sending" })
    .where("id", "=", id).where("status", "=", "queued").executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Records the outcome of one delivery attempt. */
export async function settleOutboxItem(
  tx: Tx,
  id: number,
  outcome:
    | { kind: "sent"; now: number }
    | { kind: "retry"; error: string; nextAttemptAt: number }
    | { kind: "failed"; error: string },
): Promise<void> {
  const q = tx.updateTable("outbox").where("id", "=", id);
  switch (outcome.kind) {
    case "sent":
      await q.set((eb) => ({
        status: "sent",
        sent_at: outcome.now,
        last_error: null,
        attempts: eb("attempts", "+", 1),
      })).execute();
      return;
    case "retry":
      await q.set((eb) => ({
        status: "queued",
        last_error: outcome.error,
        next_attempt_at: outcome.nextAttemptAt,
        attempts: eb("attempts", "+", 1),
      })).execute();
      return;
    case "failed":
      await q.set((eb) => ({
        status: "failed",
        last_error: outcome.error,
        attempts: eb("attempts", "+", 1),
      })).execute();
  }
}

/**
 * At start: items left "sending" by a crash go back to the queue (at-least-once delivery), and held
 * items are released when a relay is now configured.
 */
export async function recoverOutbox(tx: Tx, relayConfigured: boolean, now: number) {
  await tx.updateTable("outbox").set({ status: "queued" }).where("status", "=", "sending")
    .execute();
  if (relayConfigured) {
    await tx.updateTable("outbox").set({ status: "queued", next_attempt_at: now, last_error: null })
      .where("status", "=", "held").execute();
  }
}

/** Puts a failed or held item back in the queue (an agent's "retry"); returns its ticket id. */
export async function retryOutboxItem(tx: Tx, messageId: number, now: number, held: boolean) {
  await tx.updateTable("outbox")
    .set({
      status: held ? "held" : "queued",
      next_attempt_at: now,
      last_error: held ? "not delivered: no relay configured" : null,
      // A manual retry starts a fresh series, not one last attempt.
      attempts: 0,
      created_at: now,
    })
    .where("message_id", "=", messageId).where("status", "in", ["failed", "held"]).execute();
}
