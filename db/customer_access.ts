/**
 * How customers reach their ticket without an account: links (/c/<token>) and access keys for the
 * status page, both stored only as SHA-256 hashes, and the one-time form submissions that make a
 * replayed post land on its first result.
 */
import type { Db, Tx } from "./client.ts";
import { isTicketStatus, type TicketStatus } from "../domain/ticket_status.ts";

export interface LinkedTicket {
  linkId: number;
  revokedAt: number | null;
  ticketId: number;
  number: number;
  status: TicketStatus;
  updatedAt: number;
}

/** Stores a new link's hash for a ticket. */
export async function insertCustomerLink(tx: Tx, ticketId: number, tokenHash: string, now: number) {
  await tx.insertInto("customer_links")
    .values({ ticket_id: ticketId, token_hash: tokenHash, created_at: now }).execute();
}

/** The link with this hash and its ticket's state, or undefined. */
export async function findCustomerLink(
  db: Db | Tx,
  tokenHash: string,
): Promise<LinkedTicket | undefined> {
  const row = await db.selectFrom("customer_links")
    .innerJoin("tickets", "tickets.id", "customer_links.ticket_id")
    .select([
      "customer_links.id as linkId",
      "customer_links.revoked_at as revokedAt",
      "tickets.id as ticketId",
      "tickets.number",
      "tickets.status",
      "tickets.updated_at as updatedAt",
    ])
    .where("customer_links.token_hash", "=", tokenHash).executeTakeFirst();
  return row && { ...row, status: isTicketStatus(row.status) ? row.status : "new" };
}

/** Revokes every live link of a ticket; returns how many. */
export async function revokeCustomerLinks(tx: Tx, ticketId: number, now: number) {
  const r = await tx.updateTable("customer_links").set({ revoked_at: now })
    .where("ticket_id", "=", ticketId).where("revoked_at", "is", null).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Sets (or replaces) a ticket's access key hash and the customer's language. */
export async function upsertTicketAccess(
  tx: Tx,
  a: { ticketId: number; accessKeyHash: string; locale?: string; now: number },
) {
  await tx.insertInto("ticket_access").values({
    ticket_id: a.ticketId,
    access_key_hash: a.accessKeyHash,
    locale: a.locale ?? "ja",
    created_at: a.now,
    updated_at: a.now,
  }).onConflict((oc) =>
    oc.column("ticket_id").doUpdateSet({ access_key_hash: a.accessKeyHash, updated_at: a.now })
  ).execute();
}

/** The access-key hash and ticket state for an inquiry number, or undefined. */
export async function findTicketAccessByNumber(db: Db, number: number) {
  const row = await db.selectFrom("ticket_access")
    .innerJoin("tickets", "tickets.id", "ticket_access.ticket_id")
    .select([
      "tickets.id as ticketId",
      "tickets.status",
      "tickets.updated_at as updatedAt",
      "ticket_access.access_key_hash as accessKeyHash",
    ])
    .where("tickets.number", "=", number).executeTakeFirst();
  return row && { ...row, status: isTicketStatus(row.status) ? row.status : "new" as const };
}

/** The language a ticket's customer wrote in, or "ja" when unknown (e.g. mail tickets). */
export async function ticketLocale(db: Db | Tx, ticketId: number): Promise<"ja" | "en"> {
  const row = await db.selectFrom("ticket_access").select("locale")
    .where("ticket_id", "=", ticketId).executeTakeFirst();
  return row?.locale === "en" ? "en" : "ja";
}

/** A recorded submission by its form token's hash, or undefined. */
export function findSubmission(db: Db | Tx, nonceHash: string) {
  return db.selectFrom("form_submissions")
    .select(["ticket_id as ticketId", "message_id as messageId"])
    .where("nonce_hash", "=", nonceHash).executeTakeFirst();
}

/** Records that a form token was used for this ticket and message. */
export async function insertSubmission(
  tx: Tx,
  s: {
    nonceHash: string;
    receiptHash: string | null;
    ticketId: number;
    messageId: number;
    now: number;
  },
) {
  await tx.insertInto("form_submissions").values({
    nonce_hash: s.nonceHash,
    receipt_hash: s.receiptHash,
    ticket_id: s.ticketId,
    message_id: s.messageId,
    created_at: s.now,
  }).execute();
}

/** What a thank-you page shows, by the hash of its id, or undefined. */
export function findReceipt(db: Db, receiptHash: string) {
  return db.selectFrom("form_submissions")
    .innerJoin("tickets", "tickets.id", "form_submissions.ticket_id")
    .innerJoin("customers", "customers.id", "tickets.customer_id")
    .select([
      "tickets.number",
      "customers.email",
      "form_submissions.created_at as createdAt",
    ])
    .where("form_submissions.receipt_hash", "=", receiptHash).executeTakeFirst();
}
