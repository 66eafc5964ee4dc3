/** Raw inbound mail exactly as received, and the quarantine of mail we could not process. */
import type { AuthVerdicts } from "../domain/mail_auth.ts";
import type { Db, Tx } from "./client.ts";
import { packBytes, unpackBytes } from "./stored_bytes.ts";

export interface RawEnvelope {
  mailFrom: string | null;
  rcptTo: string[];
  remoteAddress: string | null;
  /** Sender authentication computed on the SMTP session (not stored with the bytes). */
  auth?: AuthVerdicts | null;
}

/** Stores the raw bytes of a received message; returns its id. */
export async function insertRawMessage(
  tx: Tx,
  content: Uint8Array,
  sha256: string,
  envelope: RawEnvelope,
  now: number,
): Promise<number> {
  const stored = packBytes(content);
  const { id } = await tx.insertInto("raw_messages").values({
    sha256,
    size: content.byteLength,
    content: stored.data,
    content_encoding: stored.encoding,
    mail_from: envelope.mailFrom,
    rcpt_to: JSON.stringify(envelope.rcptTo),
    remote_address: envelope.remoteAddress,
    received_at: now,
  }).returning("id").executeTakeFirstOrThrow();
  return id;
}

/** The raw bytes and envelope of a stored message, or undefined. */
export async function findRawMessage(db: Db | Tx, id: number) {
  const row = await db.selectFrom("raw_messages").selectAll().where("id", "=", id)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    content: unpackBytes(new Uint8Array(row.content), row.content_encoding),
    envelope: {
      mailFrom: row.mail_from,
      rcptTo: JSON.parse(row.rcpt_to) as string[],
      remoteAddress: row.remote_address,
    },
    receivedAt: row.received_at,
  };
}

/**
 * The raw mail a message was filed from, with its ticket's number and who may see it, when its
 * bytes are still stored (housekeeping may have dropped them); undefined otherwise.
 */
export async function findOriginalMail(db: Db, messageId: number) {
  const row = await db.selectFrom("messages")
    .innerJoin("raw_messages", "raw_messages.id", "messages.raw_id")
    .innerJoin("tickets", "tickets.id", "messages.ticket_id")
    .select([
      "raw_messages.content",
      "raw_messages.content_encoding",
      "tickets.id as ticketId",
      "tickets.number as ticketNumber",
      "tickets.department_id as departmentId",
      "tickets.assignee_id as assigneeId",
    ])
    .where("messages.id", "=", messageId)
    .where("raw_messages.content_encoding", "!=", "dropped")
    .executeTakeFirst();
  if (!row) return undefined;
  const { content, content_encoding, ...ticket } = row;
  return { content: unpackBytes(new Uint8Array(content), content_encoding), ...ticket };
}

/** Puts a stored raw message into quarantine with the reason it could not be processed. */
export async function quarantine(tx: Tx, rawId: number, reason: string, now: number) {
  await tx.insertInto("quarantine").values({ raw_id: rawId, reason, created_at: now }).execute();
}

/** Quarantined messages not yet resolved, newest first. */
export function listQuarantine(db: Db) {
  return db.selectFrom("quarantine")
    .innerJoin("raw_messages", "raw_messages.id", "quarantine.raw_id")
    .select([
      "quarantine.id",
      "quarantine.raw_id as rawId",
      "quarantine.reason",
      "quarantine.created_at as createdAt",
      "raw_messages.size",
      "raw_messages.mail_from as mailFrom",
    ])
    .where("quarantine.resolved_at", "is", null).orderBy("quarantine.id", "desc").limit(200)
    .execute();
}

/** Marks a quarantine entry as resolved into a ticket. */
/**
 * Marks a quarantine entry resolved (into a ticket, or none). Returns false when it was already
 * resolved, so concurrent re-processing files the mail once; `claimed` updates an entry this
 * transaction already resolved.
 */
export async function resolveQuarantine(
  tx: Tx,
  id: number,
  ticketId: number | null,
  now: number,
  options: { claimed?: boolean } = {},
): Promise<boolean> {
  let q = tx.updateTable("quarantine").set({ resolved_at: now, ticket_id: ticketId })
    .where("id", "=", id);
  if (!options.claimed) q = q.where("resolved_at", "is", null);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** A quarantine entry by id, or undefined. */
export function findQuarantine(db: Db | Tx, id: number) {
  return db.selectFrom("quarantine").select(["id", "raw_id as rawId", "resolved_at as resolvedAt"])
    .where("id", "=", id).executeTakeFirst();
}
