/**
 * Deletes rows nobody will read again. Each prune walks an index (migration 0008) over exactly the
 * rows it deletes, at most `limit` of them, so a run costs O(rows pruned) and one transaction
 * stays short even when years of rows are due at once.
 */
import { sql } from "kysely";
import type { Tx } from "./client.ts";

/** Sessions past their expiry (a lookup already ignores them). */
export async function pruneExpiredSessions(tx: Tx, now: number, limit: number): Promise<number> {
  const r = await tx.deleteFrom("sessions").where(
    "id_hash",
    "in",
    tx.selectFrom("sessions").select("id_hash").where("expires_at", "<=", now).limit(limit),
  ).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Records of used form tokens created before `before`. */
export async function pruneFormSubmissions(tx: Tx, before: number, limit: number): Promise<number> {
  const r = await tx.deleteFrom("form_submissions").where(
    "nonce_hash",
    "in",
    tx.selectFrom("form_submissions").select("nonce_hash").where("created_at", "<", before)
      .limit(limit),
  ).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** After-hours auto-reply log entries older than `before` (they no longer limit anything). */
export async function pruneAutoReplyLog(tx: Tx, before: number, limit: number): Promise<number> {
  const r = await tx.deleteFrom("auto_reply_log").where(
    sql<number>`rowid`,
    "in",
    tx.selectFrom("auto_reply_log").select(sql<number>`rowid`.as("rowid"))
      .where("sent_at", "<", before).limit(limit),
  ).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** Customer links revoked before `before`. */
export async function pruneRevokedCustomerLinks(
  tx: Tx,
  before: number,
  limit: number,
): Promise<number> {
  const r = await tx.deleteFrom("customer_links").where(
    "id",
    "in",
    tx.selectFrom("customer_links").select("id").where("revoked_at", "<", before).limit(limit),
  ).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/**
 * The links of tickets that are resolved or need no action and last changed before
 * `window.before`, looked at through a window [since, before) that each run moves on: the links
 * of tickets that last changed in it, and the links created in it (a reply to a long-closed ticket
 * issues a link without changing the ticket). So each ticket and each link is looked at once, on
 * the day it crosses the line, instead of every closed ticket every day.
 */
export async function pruneClosedTicketLinks(
  tx: Tx,
  window: { since: number; before: number },
): Promise<number> {
  const { since, before } = window;
  if (before <= since) return 0;
  const closed = ["resolved", "no_action"];
  const byTicket = await tx.deleteFrom("customer_links").where(
    "ticket_id",
    "in",
    tx.selectFrom("tickets").select("id").where("status", "in", closed)
      .where("updated_at", ">=", since).where("updated_at", "<", before),
  ).executeTakeFirst();
  const byLink = await tx.deleteFrom("customer_links").where(
    "id",
    "in",
    // A correlated EXISTS, not a join: the planner must walk the links' creation window, not
    // every closed ticket.
    tx.selectFrom("customer_links").select("customer_links.id")
      .where("customer_links.created_at", ">=", since)
      .where("customer_links.created_at", "<", before)
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom("tickets").select("tickets.id")
            .whereRef("tickets.id", "=", "customer_links.ticket_id")
            .where("tickets.status", "in", closed).where("tickets.updated_at", "<", before),
        )
      ),
  ).executeTakeFirst();
  return Number(byTicket.numDeletedRows) + Number(byLink.numDeletedRows);
}

/**
 * Drops the raw bytes of inbound mail on tickets that are resolved or need no action and last
 * changed in the window [since, before) (each run moves the window on, so each ticket is looked at
 * once). The row stays — its hash still recognises a redelivered duplicate — with no content.
 * The raw of a message stored clipped is kept: it is the only whole copy of that mail.
 */
export async function dropClosedTicketRaw(
  tx: Tx,
  window: { since: number; before: number },
): Promise<number> {
  const { since, before } = window;
  if (before <= since) return 0;
  const r = await tx.updateTable("raw_messages")
    .set({ content: new Uint8Array(0), content_encoding: "dropped" })
    .where("content_encoding", "!=", "dropped")
    .where(
      "id",
      "in",
      tx.selectFrom("messages").select("messages.raw_id").where("messages.raw_id", "is not", null)
        .where(
          "messages.ticket_id",
          "in",
          tx.selectFrom("tickets").select("id").where("status", "in", ["resolved", "no_action"])
            .where("updated_at", ">=", since).where("updated_at", "<", before),
        ),
    )
    // A message stored clipped has its whole text only in the raw mail (mail/parse.ts).
    .where(
      "id",
      "not in",
      tx.selectFrom("messages").select("messages.raw_id").where("messages.raw_id", "is not", null)
        .where((eb) =>
          eb.or([eb("text_full_chars", "is not", null), eb("html_full_chars", "is not", null)])
        ),
    ).executeTakeFirst();
  return Number(r.numUpdatedRows);
}
