/** The durable outbox: composed mail waiting for, or done with, the relay. */
import type { Db, Tx } from "./client.ts";
import { packBytes, unpackBytes } from "./stored_bytes.ts";

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

/**
 * Items this worker may send now, oldest first: queued ones that are due, and "sending" ones whose
 * worker's lease ran out (it died). Rows leased to `owner` itself are never returned: the worker
 * knows their state in memory.
 */
export async function dueOutboxItems(
  db: Db,
  now: number,
  limit: number,
  owner: string,
): Promise<OutboxItem[]> {
  const columns = [
    "id",
    "message_id",
    "envelope_from",
    "envelope_to",
    "raw",
    "raw_encoding",
    "attempts",
    "created_at",
  ] as const;
  const orphaned = await db.selectFrom("outbox").select(columns)
    .where("status", "=", "sending")
    .where((eb) => eb.or([eb("lease_until", "is", null), eb("lease_until", "<=", now)]))
    .where((eb) => eb.or([eb("lease_owner", "is", null), eb("lease_owner", "!=", owner)]))
    .orderBy("id").limit(limit).execute();
  const queued = await db.selectFrom("outbox").select(columns)
    .where("status", "=", "queued").where("next_attempt_at", "<=", now)
    .orderBy("next_attempt_at").orderBy("id").limit(limit - orphaned.length).execute();
  return [...orphaned, ...queued].map((r) => ({
    id: r.id,
    messageId: r.message_id,
    envelopeFrom: r.envelope_from,
    envelopeTo: JSON.parse(r.envelope_to),
    raw: unpackBytes(new Uint8Array(r.raw), r.raw_encoding),
    attempts: r.attempts,
    createdAt: r.created_at,
  }));
}

/**
 * The earliest instant something becomes sendable for `owner`: a queued item's next attempt or
 * another worker's lease running out; null when there is neither.
 */
export async function nextOutboxDue(db: Db, owner: string): Promise<number | null> {
  const queued = await db.selectFrom("outbox")
    .select((eb) => eb.fn.min("next_attempt_at").as("next"))
    .where("status", "=", "queued").executeTakeFirst();
  const leased = await db.selectFrom("outbox")
    .select((eb) => eb.fn.min(eb.fn.coalesce("lease_until", eb.lit(0))).as("next"))
    .where("status", "=", "sending")
    .where((eb) => eb.or([eb("lease_owner", "is", null), eb("lease_owner", "!=", owner)]))
    .executeTakeFirst();
  const times = [queued?.next, leased?.next].filter((t) => t != null).map(Number);
  return times.length === 0 ? null : Math.min(...times);
}

/**
 * Claims an item for `owner` until `leaseUntil`: a queued one, or one whose lease ran out. False
 * when it is not there to take (sent meanwhile, or leased by a live worker).
 */
export async function claimOutboxItem(
  tx: Tx,
  id: number,
  lease: { owner: string; now: number; leaseUntil: number },
): Promise<boolean> {
  const r = await tx.updateTable("outbox")
    .set({ status: "sending", lease_owner: lease.owner, lease_until: lease.leaseUntil })
    .where("id", "=", id)
    .where((eb) =>
      eb.or([
        eb("status", "=", "queued"),
        eb.and([
          eb("status", "=", "sending"),
          eb.or([eb("lease_until", "is", null), eb("lease_until", "<=", lease.now)]),
        ]),
      ])
    ).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Extends every lease `owner` holds (its heartbeat while it sends). */
export async function renewOutboxLeases(tx: Tx, owner: string, leaseUntil: number) {
  await tx.updateTable("outbox").set({ lease_until: leaseUntil })
    .where("status", "=", "sending").where("lease_owner", "=", owner).execute();
}

export type OutboxOutcome =
  | { kind: "sent"; now: number }
  | { kind: "retry"; error: string; nextAttemptAt: number }
  | { kind: "failed"; error: string };

/**
 * Records the outcome of `owner`'s delivery attempt and ends its lease. False when the item is no
 * longer leased to owner (its lease ran out and another worker took it over): nothing is written.
 */
export async function settleOutboxItem(
  tx: Tx,
  id: number,
  owner: string,
  outcome: OutboxOutcome,
): Promise<boolean> {
  const q = tx.updateTable("outbox").where("id", "=", id).where("status", "=", "sending")
    .where("lease_owner", "=", owner);
  const released = { lease_owner: null, lease_until: null };
  let r;
  switch (outcome.kind) {
    case "sent": {
      // Sent mail is kept (a bounce may want a retry) but compressed: it is rarely read again.
      const row = await tx.selectFrom("outbox").select(["raw", "raw_encoding"]).where("id", "=", id)
        .executeTakeFirst();
      const packed = row && row.raw_encoding === "identity"
        ? packBytes(new Uint8Array(row.raw))
        : null;
      r = await q.set((eb) => ({
        ...released,
        status: "sent",
        sent_at: outcome.now,
        last_error: null,
        attempts: eb("attempts", "+", 1),
        ...(packed?.encoding === "gzip" ? { raw: packed.data, raw_encoding: "gzip" } : {}),
      })).executeTakeFirst();
      break;
    }
    case "retry":
      r = await q.set((eb) => ({
        ...released,
        status: "queued",
        last_error: outcome.error,
        next_attempt_at: outcome.nextAttemptAt,
        attempts: eb("attempts", "+", 1),
      })).executeTakeFirst();
      break;
    case "failed":
      r = await q.set((eb) => ({
        ...released,
        status: "failed",
        last_error: outcome.error,
        attempts: eb("attempts", "+", 1),
      })).executeTakeFirst();
  }
  return Number(r.numUpdatedRows) === 1;
}

/**
 * At start, when a relay is now configured, held items are released to the queue. Items left
 * "sending" are not touched here: another process may be sending them; a dead owner's ones are
 * taken over when their lease runs out (dueOutboxItems).
 */
export async function releaseHeldOutbox(tx: Tx, now: number) {
  await tx.updateTable("outbox").set({ status: "queued", next_attempt_at: now, last_error: null })
    .where("status", "=", "held").execute();
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

/** Outbox rows per unsent status (queued, sending, held, failed), each counted on its index. */
export async function countOutboxByStatus(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const status of ["queued", "sending", "held", "failed"] as const) {
    const { n } = await db.selectFrom("outbox").select((eb) => eb.fn.countAll<number>().as("n"))
      .where("status", "=", status).executeTakeFirstOrThrow();
    out[status] = Number(n);
  }
  return out;
}
