/**
 * Builds the exact bytes of an outbound reply. The raw message is stored in the outbox when the
 * agent presses send, so what we record is what the relay gets, however often it is retried.
 *
 * Threading: our Message-ID starts with the ticket's reply token, Reply-To is a plus-address
 * carrying the same token, In-Reply-To/References point at the customer's last message and the
 * subject carries the ticket tag — three independent ways back to the ticket (research §1).
 */
// @ts-types="@types/nodemailer/lib/mail-composer"
import MailComposer from "nodemailer/lib/mail-composer/index.js";
import { replySubject } from "../domain/threading.ts";
import type { MailAddress } from "../domain/inbound_message.ts";
import { buildIso2022JpMail } from "./compose_iso_2022_jp.ts";
import { Buffer } from "node:buffer";

/** A file sent with a reply. */
export interface OutgoingAttachment {
  filename: string;
  contentType: string;
  content: Uint8Array;
}

/** `MADOGUCHI_OUTBOUND_CHARSET`: UTF-8, or ISO-2022-JP for old Japanese mobile clients. */
export type OutboundCharset = "utf-8" | "iso-2022-jp";

export interface ReplyDraft {
  fromName: string;
  supportAddress: string;
  to: { address: string; name: string };
  /**
   * Everyone the reply goes to, replacing `to` when given: To and Cc are headers, Bcc is in the
   * envelope only, never in a header.
   */
  recipients?: { to: MailAddress[]; cc: MailAddress[]; bcc: MailAddress[] };
  attachments?: OutgoingAttachment[];
  ticketSubject: string;
  ticketNumber: number;
  replyToken: string;
  subjectTagPrefix: string;
  /** The Message-ID of the customer's last message, without brackets. */
  inReplyTo: string | null;
  /** That message's References, oldest first, without brackets. */
  references: string[];
  text: string;
  date: Date;
  /** Body and header charset; "utf-8" when absent. */
  charset?: OutboundCharset;
  /** More headers, e.g. `Auto-Submitted: auto-generated` on a reminder. */
  headers?: Record<string, string>;
}

export interface ComposedMail {
  messageId: string;
  subject: string;
  replyTo: string;
  envelope: { from: string; to: string[] };
  raw: Uint8Array;
}

/** Our Message-ID for a reply: reply token, randomness, our domain. */
export function newMessageId(replyToken: string, supportAddress: string): string {
  const random = crypto.randomUUID().replaceAll("-", "").slice(0, 16);
  return `${replyToken}.${random}@${supportAddress.split("@")[1]}`;
}

/** The plus-address replies go to: support+t<token>@domain. */
export function replyAddress(supportAddress: string, replyToken: string): string {
  const [local, domain] = supportAddress.split("@");
  return `${local}+t${replyToken}@${domain}`;
}

/** The References of an answer to a message: its References and its Message-ID, bounded. */
export function referencesChain(references: string[], inReplyTo: string | null): string[] {
  // The first (thread root) plus the most recent ones.
  const chain = [...references, ...(inReplyTo ? [inReplyTo] : [])];
  return chain.length > 20 ? [chain[0], ...chain.slice(-19)] : chain;
}

/** Composes a reply to RFC 5322 bytes. */
export async function composeReply(d: ReplyDraft): Promise<ComposedMail> {
  const messageId = newMessageId(d.replyToken, d.supportAddress);
  const subject = replySubject(d.ticketSubject, d.ticketNumber, d.subjectTagPrefix);
  const replyTo = replyAddress(d.supportAddress, d.replyToken);
  const refs = referencesChain(d.references, d.inReplyTo);
  const { to, cc, bcc } = d.recipients ?? { to: [d.to], cc: [], bcc: [] };
  const envelope = {
    from: d.supportAddress,
    to: [...new Set([...to, ...cc, ...bcc].map((a) => a.address))],
  };
  const parts = {
    from: { name: d.fromName, address: d.supportAddress },
    to,
    cc,
    replyTo,
    subject,
    date: d.date,
    messageId,
    inReplyTo: d.inReplyTo,
    references: refs,
    headers: { "X-Madoguchi-Ticket": String(d.ticketNumber), ...d.headers },
    text: d.text,
    attachments: d.attachments ?? [],
  };
  // Something with no ISO-2022-JP form (emoji, €) goes as UTF-8, which loses nothing; so does
  // mail with files (the hand-written ISO-2022-JP form is a single text part).
  const plain = d.charset === "iso-2022-jp" && parts.attachments.length === 0;
  const raw = (plain ? buildIso2022JpMail(parts) : null) ?? await composeUtf8Mail(parts);
  return { messageId, subject, replyTo, envelope, raw };
}

/** Plain-text mail to compose; Message-IDs without brackets, like every id here. */
export interface MailParts {
  from: MailAddress;
  to: MailAddress[];
  cc?: MailAddress[];
  replyTo?: string;
  subject: string;
  date: Date;
  messageId: string;
  inReplyTo?: string | null;
  references?: string[];
  headers: Record<string, string>;
  text: string;
  attachments?: OutgoingAttachment[];
}

/** Composes plain-text mail to RFC 5322 bytes in UTF-8 (nodemailer's MailComposer). */
export function composeUtf8Mail(m: MailParts): Promise<Uint8Array> {
  const composer = new MailComposer({
    from: m.from,
    to: m.to,
    cc: m.cc?.length ? m.cc : undefined,
    replyTo: m.replyTo,
    subject: m.subject,
    text: m.text,
    date: m.date,
    messageId: `<${m.messageId}>`,
    inReplyTo: m.inReplyTo ? `<${m.inReplyTo}>` : undefined,
    references: m.references?.length ? m.references.map((r) => `<${r}>`).join(" ") : undefined,
    headers: m.headers,
    textEncoding: "base64",
    attachments: m.attachments?.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: Buffer.from(a.content),
    })),
  });
  return new Promise((resolve, reject) =>
    composer.compile().build((err, buf) => err ? reject(err) : resolve(new Uint8Array(buf)))
  );
}
