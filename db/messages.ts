/** Messages of a ticket (inbound, outbound, notes), their attachments and threading lookups. */
import { sql } from "kysely";
import type { Db, Tx } from "./client.ts";
import type { BodyClip, InboundAttachment, MailAddress } from "../domain/inbound_message.ts";

export interface NewMessage {
  ticketId: number;
  direction: "in" | "out" | "note";
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  from: MailAddress;
  to: MailAddress[];
  cc: MailAddress[];
  /** Our reply's blind copies (envelope only); none on inbound mail. */
  bcc?: MailAddress[];
  subject: string;
  text: string;
  html: string | null;
  /**
   * The display sanitizer's version when `html` is already its output (mail sanitized at ingest):
   * the conversation then shows html_body as it is (html_safe stays null, nothing is stored twice).
   */
  htmlSanitizedBy?: number;
  /** The parts stored in part only, by their whole length (mail/parse.ts). */
  clipped?: BodyClip;
  autoKind: string;
  rawId: number | null;
  agentId: number | null;
  createdAt: number;
  attachments: InboundAttachment[];
}

export interface AttachmentInfo {
  id: number;
  filename: string;
  contentType: string;
  contentId: string | null;
  disposition: string;
  size: number;
}

export interface Delivery {
  status: "queued" | "sending" | "sent" | "failed" | "held";
  attempts: number;
  lastError: string | null;
  nextAttemptAt: number;
  sentAt: number | null;
}

export interface Message {
  id: number;
  direction: "in" | "out" | "note";
  messageId: string | null;
  fromAddress: string;
  fromName: string;
  to: MailAddress[];
  cc: MailAddress[];
  /** Blind copies of our reply (never in its headers). */
  bcc: MailAddress[];
  subject: string;
  text: string;
  /** The HTML part as stored (sanitized at ingest), or as shown when `htmlShown` is set. */
  html: string | null;
  /** html_body as sanitizer version `htmlSafeVersion` renders it, when a view stored it. */
  htmlSafe: string | null;
  htmlSafeVersion: number | null;
  /** Set by routes/message_html.ts: `html` is the current sanitizer's output. */
  htmlShown?: boolean;
  /** The parts stored in part only, by their whole length; null when stored whole. */
  clipped: BodyClip | null;
  /** The raw mail as received is still stored (GET /tickets/:number/messages/:id/original). */
  hasOriginal: boolean;
  autoKind: string;
  agentId: number | null;
  createdAt: number;
  attachments: AttachmentInfo[];
  delivery: Delivery | null;
}

/** Inserts a message and its attachments; returns the message row id. */
export async function insertMessage(tx: Tx, m: NewMessage): Promise<number> {
  const { id } = await tx.insertInto("messages").values({
    ticket_id: m.ticketId,
    direction: m.direction,
    message_id: m.messageId,
    in_reply_to: m.inReplyTo,
    references_json: JSON.stringify(m.references),
    from_address: m.from.address,
    from_name: m.from.name,
    to_json: JSON.stringify(m.to),
    cc_json: JSON.stringify(m.cc),
    ...(m.bcc?.length ? { bcc_json: JSON.stringify(m.bcc) } : {}),
    subject: m.subject,
    text_body: m.text,
    html_body: m.html,
    ...(m.html !== null && m.htmlSanitizedBy !== undefined
      ? { html_safe_version: m.htmlSanitizedBy }
      : {}),
    ...(m.clipped?.text ? { text_full_chars: m.clipped.text } : {}),
    ...(m.clipped?.html ? { html_full_chars: m.clipped.html } : {}),
    auto_kind: m.autoKind,
    raw_id: m.rawId,
    agent_id: m.agentId,
    created_at: m.createdAt,
  }).returning("id").executeTakeFirstOrThrow();
  if (m.attachments.length > 0) {
    await tx.insertInto("attachments").values(m.attachments.map((a) => ({
      message_id: id,
      filename: a.filename,
      content_type: a.contentType,
      content_id: a.contentId,
      disposition: a.disposition,
      size: a.content.byteLength,
      content: a.content,
    }))).execute();
  }
  return id;
}

/**
 * Inserts what a customer wrote outside mail (our forms, their page, a call an agent recorded):
 * inbound like a mail, but with no raw bytes and no Message-ID, since nothing came over SMTP.
 */
export function insertCustomerMessage(
  tx: Tx,
  m: {
    ticketId: number;
    from: MailAddress;
    /** The address the customer is considered to have written to (ours). */
    supportAddress: string;
    subject: string;
    text: string;
    attachments: InboundAttachment[];
    now: number;
  },
): Promise<number> {
  return insertMessage(tx, {
    ticketId: m.ticketId,
    direction: "in",
    messageId: null,
    inReplyTo: null,
    references: [],
    from: m.from,
    to: [{ address: m.supportAddress, name: "" }],
    cc: [],
    subject: m.subject,
    text: m.text,
    html: null,
    autoKind: "none",
    rawId: null,
    agentId: null,
    createdAt: m.now,
    attachments: m.attachments,
  });
}

/** A body loaded in part (past ListOptions.bodyBudget) keeps this many characters of its text. */
export const PREFIX_CHARS = 1_000;

/**
 * The characters of message bodies a page loads whole (~4 MB as JavaScript strings): every
 * ordinary thread entirely; of a thread of many long mails (each up to 512 Ki characters, see
 * mail/parse.ts) the newest few.
 */
export const PAGE_BODY_BUDGET = 2_000_000;

export interface ListMessagesOptions {
  /**
   * Characters of text and HTML loaded whole, newest message first (the newest always whole);
   * older ones get their text's first PREFIX_CHARS, no HTML, and `clipped` saying how long they
   * were. A page passes it, so a thread of many long mails cannot fill the heap; the API does not.
   */
  bodyBudget?: number;
}

/** The whole conversation of a ticket, oldest first, with attachments and delivery states. */
export async function listMessages(
  db: Db,
  ticketId: number,
  options: ListMessagesOptions = {},
): Promise<Message[]> {
  const cut = options.bodyBudget === undefined
    ? 0
    : await firstWholeMessage(db, ticketId, options.bodyBudget);
  const rows = await db.selectFrom("messages")
    .leftJoin("outbox", "outbox.message_id", "messages.id")
    .leftJoin("raw_messages", "raw_messages.id", "messages.raw_id")
    .select([
      "messages.id",
      "messages.direction",
      "messages.message_id",
      "messages.from_address",
      "messages.from_name",
      "messages.to_json",
      "messages.cc_json",
      "messages.bcc_json",
      "messages.subject",
      "messages.html_safe_version",
      "messages.text_full_chars",
      "messages.html_full_chars",
      "raw_messages.content_encoding as raw_encoding",
      "messages.auto_kind",
      "messages.agent_id",
      "messages.created_at",
      "outbox.status as delivery_status",
      "outbox.attempts",
      "outbox.last_error",
      "outbox.next_attempt_at",
      "outbox.sent_at",
    ])
    // Whole from `cut` on (0: every message).
    .select([
      sql<string>`case when messages.id >= ${cut} then messages.text_body
        else substr(messages.text_body, 1, ${PREFIX_CHARS}) end`.as("text_body"),
      sql<string | null>`case when messages.id >= ${cut} then messages.html_body end`
        .as("html_body"),
      sql<string | null>`case when messages.id >= ${cut} then messages.html_safe end`
        .as("html_safe"),
      sql<number | null>`case when messages.id < ${cut} then length(messages.text_body) end`
        .as("cut_text_chars"),
      sql<number | null>`case when messages.id < ${cut} then length(messages.html_body) end`
        .as("cut_html_chars"),
    ])
    .where("messages.ticket_id", "=", ticketId).orderBy("messages.id").execute();
  const ids = rows.map((r) => r.id);
  const atts = ids.length === 0 ? [] : await db.selectFrom("attachments")
    .select(["id", "message_id", "filename", "content_type", "content_id", "disposition", "size"])
    .where("message_id", "in", ids).orderBy("id").execute();
  return rows.map((r) => ({
    id: r.id,
    direction: r.direction,
    messageId: r.message_id,
    fromAddress: r.from_address,
    fromName: r.from_name,
    to: JSON.parse(r.to_json),
    cc: JSON.parse(r.cc_json),
    bcc: JSON.parse(r.bcc_json),
    subject: r.subject,
    text: r.text_body,
    html: r.html_body,
    htmlSafe: r.html_safe,
    htmlSafeVersion: r.html_safe_version,
    clipped: clipOf(r),
    hasOriginal: r.raw_encoding !== null && r.raw_encoding !== "dropped",
    autoKind: r.auto_kind,
    agentId: r.agent_id,
    createdAt: r.created_at,
    attachments: atts.filter((a) => a.message_id === r.id).map((a) => ({
      id: a.id,
      filename: a.filename,
      contentType: a.content_type,
      contentId: a.content_id,
      disposition: a.disposition,
      size: a.size,
    })),
    delivery: r.delivery_status
      ? {
        status: r.delivery_status,
        attempts: r.attempts ?? 0,
        lastError: r.last_error,
        nextAttemptAt: r.next_attempt_at ?? 0,
        sentAt: r.sent_at,
      }
      : null,
  }));
}

/**
 * The oldest message id whose body still fits `budget` characters counted from the newest
 * message back (the newest always fits); 0 when the whole thread does.
 */
async function firstWholeMessage(db: Db, ticketId: number, budget: number): Promise<number> {
  const sizes = await db.selectFrom("messages")
    .select(["id", sql<number>`length(text_body) + coalesce(length(html_body), 0)`.as("chars")])
    .where("ticket_id", "=", ticketId).orderBy("id", "desc").execute();
  let used = 0;
  for (let i = 0; i < sizes.length; i++) {
    used += Number(sizes[i].chars);
    if (used > budget && i > 0) return sizes[i - 1].id;
  }
  return 0;
}

/** Which parts a row keeps only in part: clipped at ingest, or loaded in part (bodyBudget). */
function clipOf(r: {
  text_full_chars: number | null;
  html_full_chars: number | null;
  cut_text_chars: number | null;
  cut_html_chars: number | null;
}): BodyClip | null {
  const clip: BodyClip = {};
  if (r.cut_text_chars === null) {
    // Loaded whole: only what ingest clipped.
    if (r.text_full_chars !== null) clip.text = r.text_full_chars;
    if (r.html_full_chars !== null) clip.html = r.html_full_chars;
  } else {
    // Loaded in part: the text's beginning, and none of the HTML.
    if (r.cut_text_chars > PREFIX_CHARS || r.text_full_chars !== null) {
      clip.text = r.text_full_chars ?? r.cut_text_chars;
    }
    if (r.cut_html_chars !== null) clip.html = r.html_full_chars ?? r.cut_html_chars;
  }
  return clip.text === undefined && clip.html === undefined ? null : clip;
}

/** An attachment with its bytes, its ticket and that ticket's department, or undefined. */
export function findAttachment(db: Db, id: number) {
  return db.selectFrom("attachments")
    .innerJoin("messages", "messages.id", "attachments.message_id")
    .innerJoin("tickets", "tickets.id", "messages.ticket_id")
    .select([
      "attachments.id",
      "attachments.filename",
      "attachments.content_type as contentType",
      "attachments.size",
      "attachments.content",
      "messages.ticket_id as ticketId",
      // Who may see it (domain/permissions.ts canSee).
      "tickets.department_id as departmentId",
      "tickets.assignee_id as assigneeId",
    ])
    .where("attachments.id", "=", id).executeTakeFirst();
}

/** True when an inbound message with this Message-ID is already stored. */
export async function hasInboundMessageId(tx: Tx, messageId: string): Promise<boolean> {
  const row = await tx.selectFrom("messages").select("id")
    .where("message_id", "=", messageId).where("direction", "=", "in").limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Inbound messages stored under a Message-ID, with their sender and raw bytes' SHA-256. */
export async function inboundCopiesByMessageId(tx: Tx, messageId: string) {
  const rows = await tx.selectFrom("messages")
    .leftJoin("raw_messages", "raw_messages.id", "messages.raw_id")
    .select(["messages.ticket_id", "messages.from_address", "raw_messages.sha256"])
    .where("messages.message_id", "=", messageId).where("messages.direction", "=", "in")
    .orderBy("messages.id").limit(50).execute();
  return rows.map((r) => ({
    ticketId: r.ticket_id,
    fromAddress: r.from_address,
    sha256: r.sha256 ?? null,
  }));
}

/** Ticket ids by Message-ID for the ids that are stored (any direction). */
export async function ticketsByMessageIds(tx: Tx, ids: string[]): Promise<Map<string, number>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.selectFrom("messages").select(["message_id", "ticket_id"])
    .where("message_id", "in", ids.slice(0, 100)).execute();
  return new Map(rows.map((r) => [r.message_id!, r.ticket_id]));
}

/** Ticket ids by reply token for the tokens that exist. */
export async function ticketsByReplyTokens(
  tx: Tx,
  tokens: string[],
): Promise<Map<string, number>> {
  if (tokens.length === 0) return new Map();
  const rows = await tx.selectFrom("tickets").select(["reply_token", "id"])
    .where("reply_token", "in", tokens.slice(0, 100)).execute();
  return new Map(rows.map((r) => [r.reply_token, r.id]));
}

/** Every address that took part in a ticket: its customer, senders, and To/Cc of its mail. */
export async function ticketParticipants(tx: Tx, ticketId: number): Promise<Set<string>> {
  const customer = await tx.selectFrom("tickets")
    .innerJoin("customers", "customers.id", "tickets.customer_id")
    .select("customers.email").where("tickets.id", "=", ticketId).executeTakeFirst();
  const rows = await tx.selectFrom("messages").select(["from_address", "to_json", "cc_json"])
    .where("ticket_id", "=", ticketId).where("direction", "=", "in").execute();
  const out = new Set<string>(customer ? [customer.email] : []);
  for (const r of rows) {
    out.add(r.from_address);
    for (const a of [...JSON.parse(r.to_json), ...JSON.parse(r.cc_json)] as MailAddress[]) {
      out.add(a.address.toLowerCase());
    }
  }
  return out;
}

/** The newest inbound message of a ticket (what a reply answers), or undefined. */
export function lastInboundMessage(db: Db | Tx, ticketId: number) {
  return db.selectFrom("messages")
    .select([
      "id",
      "message_id as messageId",
      "references_json as referencesJson",
      "subject",
      "to_json as toJson",
      "cc_json as ccJson",
      "from_address as fromAddress",
      "from_name as fromName",
    ])
    .where("ticket_id", "=", ticketId).where("direction", "=", "in")
    .orderBy("id", "desc").limit(1).executeTakeFirst();
}
