/**
 * Every mail we send is recorded the same way, inside the transaction that decided to send it: a
 * message row on its ticket (what agents see), the composed bytes in the outbox (what the relay
 * gets), and — for mail in the customer's conversation that counts as activity — the ticket's
 * last-message time and count. Either all of it is written or none.
 */
import type { Tx } from "../db/client.ts";
import { insertMessage } from "../db/messages.ts";
import { enqueueMail } from "../db/outbox.ts";
import { suppressionReason } from "../db/suppressed_addresses.ts";
import { countTicketMessage, type Ticket } from "../db/tickets.ts";
import type { MailAddress } from "../domain/inbound_message.ts";
import { composeAutoMail } from "./auto_mail.ts";
import {
  composeReply,
  composeUtf8Mail,
  newMessageId,
  type OutgoingAttachment,
  referencesChain,
  replyAddress,
} from "./compose.ts";
import type { Sender } from "./sender.ts";

export interface OutboundRecord {
  ticketId: number;
  /** "out" for mail in the customer's conversation; "note" for the agents' copy of a notice. */
  direction: "out" | "note";
  /** The Message-ID stored on the row (without brackets); null where nothing may thread to it. */
  messageId: string | null;
  inReplyTo?: string | null;
  /** Header From, To and Cc; the envelope is To, Cc and Bcc (an agent's reply may Bcc). */
  from: MailAddress;
  to: MailAddress[];
  cc?: MailAddress[];
  /** Envelope only: the raw bytes never name them. */
  bcc?: MailAddress[];
  /** Files in the raw bytes, also kept on the message (agents download them from the ticket). */
  attachments?: OutgoingAttachment[];
  subject: string;
  /** The text shown on the ticket: the body, or with secrets masked, or a one-line summary. */
  text: string;
  /** "auto-reply" for mail Madoguchi writes by itself, "none" for an agent's reply. */
  autoKind: "none" | "auto-reply";
  agentId?: number | null;
  raw: Uint8Array;
  /** Without a relay the mail is kept as "held", never faked as sent. */
  relayConfigured: boolean;
  /** Count it as ticket activity (last-message time, message count). */
  countOnTicket?: boolean;
  now: number;
}

/** Records composed outbound mail on its ticket and queues it; returns the message row id. */
export async function recordOutboundMail(tx: Tx, m: OutboundRecord): Promise<number> {
  const id = await insertMessage(tx, {
    ticketId: m.ticketId,
    direction: m.direction,
    messageId: m.messageId,
    inReplyTo: m.inReplyTo ?? null,
    references: [],
    from: m.from,
    to: m.to,
    cc: m.cc ?? [],
    bcc: m.bcc ?? [],
    subject: m.subject,
    text: m.text,
    html: null,
    autoKind: m.autoKind,
    rawId: null,
    agentId: m.agentId ?? null,
    createdAt: m.now,
    attachments: (m.attachments ?? []).map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      contentId: null,
      disposition: "attachment",
      content: a.content,
    })),
  });
  const to = [...new Set([...m.to, ...m.cc ?? [], ...m.bcc ?? []].map((a) => a.address))];
  // Automatic mail to an address that bounced hard stays on the ticket, unsent, with the reason.
  const suppressed = m.autoKind === "auto-reply" ? await suppressionReason(tx, to, m.now) : null;
  await enqueueMail(tx, {
    messageId: id,
    envelope: { from: m.from.address, to },
    raw: m.raw,
    held: !m.relayConfigured,
    refused: suppressed && `not sent: the address bounced (${suppressed})`,
    now: m.now,
  });
  if (m.countOnTicket) await countTicketMessage(tx, m.ticketId, m.now);
  return id;
}

/** Mail in the customer's thread, composed like an agent's reply (see mail/compose.ts). */
export interface ThreadedMail {
  ticket: Ticket;
  /** The customer's last message, which the mail answers (lastInboundMessage). */
  last: { messageId: string | null; referencesJson: string } | undefined;
  /** The subject before the reply prefix and ticket tag are added. */
  subject: string;
  /** The body sent. */
  text: string;
  /** The body shown on the ticket, when it differs from what is sent. */
  shownText?: string;
  /** The agent who wrote it; absent for mail Madoguchi writes by itself. */
  agent?: { id: number; name: string };
  /** To, Cc and Bcc (an agent's reply); absent: the ticket's customer alone. */
  recipients?: { to: MailAddress[]; cc: MailAddress[]; bcc: MailAddress[] };
  attachments?: OutgoingAttachment[];
  /** More headers, e.g. `Auto-Submitted: auto-generated` on a reminder. */
  headers?: Record<string, string>;
  now: number;
}

/** Composes mail in the ticket's thread, records it, queues it and counts it on the ticket. */
export async function queueThreadedMail(
  tx: Tx,
  settings: Sender,
  m: ThreadedMail,
): Promise<number> {
  const { ticket, last } = m;
  const to = { address: ticket.customerEmail, name: ticket.customerName };
  const recipients = m.recipients ?? { to: [to], cc: [], bcc: [] };
  const mail = await composeReply({
    fromName: settings.fromName,
    supportAddress: settings.supportAddress,
    to,
    recipients,
    attachments: m.attachments,
    ticketSubject: m.subject,
    ticketNumber: ticket.number,
    replyToken: ticket.replyToken,
    subjectTagPrefix: settings.subjectTagPrefix,
    inReplyTo: last?.messageId ?? null,
    references: last ? JSON.parse(last.referencesJson) : [],
    text: m.text,
    date: new Date(m.now),
    charset: settings.outboundCharset,
    headers: m.headers,
  });
  return await recordOutboundMail(tx, {
    ticketId: ticket.id,
    direction: "out",
    messageId: mail.messageId,
    inReplyTo: last?.messageId ?? null,
    from: { address: settings.supportAddress, name: m.agent?.name ?? settings.fromName },
    to: recipients.to,
    cc: recipients.cc,
    bcc: recipients.bcc,
    attachments: m.attachments,
    subject: mail.subject,
    text: m.shownText ?? m.text,
    autoKind: m.agent ? "none" : "auto-reply",
    agentId: m.agent?.id ?? null,
    raw: mail.raw,
    relayConfigured: settings.relayConfigured,
    countOnTicket: true,
    now: m.now,
  });
}

interface AutoMailBase {
  to: MailAddress[];
  subject: string;
  text: string;
  /** More headers, e.g. `Precedence: auto_reply`. */
  headers?: Record<string, string>;
  now: number;
}

/**
 * Mail to the customer threads back to the ticket (reply token in the Message-ID, plus-address
 * Reply-To) and may answer one of their messages. A notice to agents must not: an agent answering
 * it by mail would otherwise post to the customer's conversation, so its Message-ID carries no
 * reply token and is not stored, and the ticket shows it as an internal note naming its recipients.
 */
export type AutoMailToQueue =
  & AutoMailBase
  & (
    | {
      direction: "out";
      ticket: { id: number; number: number; replyToken: string };
      /** The body shown on the ticket, when it differs from what is sent (masked secrets). */
      shownText?: string;
      /** The customer's message this answers, and its References. */
      inReplyTo?: string | null;
      references?: string[];
      /** The agent who asked for it, if any. */
      agentId?: number | null;
    }
    | { direction: "note"; ticket: { id: number; number: number }; idPrefix: string }
  );

/** Composes an automatic mail (mail/auto_mail.ts), records it on its ticket and queues it. */
export async function queueAutoMail(
  tx: Tx,
  sender: Pick<Sender, "supportAddress" | "fromName" | "relayConfigured">,
  m: AutoMailToQueue,
): Promise<number> {
  const from = { name: sender.fromName, address: sender.supportAddress };
  const messageId = m.direction === "out"
    ? newMessageId(m.ticket.replyToken, sender.supportAddress)
    : `${m.idPrefix}.${crypto.randomUUID()}@${sender.supportAddress.split("@")[1]}`;
  const out = m.direction === "out" ? m : null;
  const inReplyTo = out?.inReplyTo ?? null;
  const raw = await composeAutoMail({
    from,
    to: m.to,
    replyTo: out ? replyAddress(sender.supportAddress, out.ticket.replyToken) : undefined,
    subject: m.subject,
    text: m.text,
    messageId,
    ticketNumber: m.ticket.number,
    date: new Date(m.now),
    inReplyTo,
    references: out?.references ? referencesChain(out.references, inReplyTo) : undefined,
    headers: m.headers,
  });
  return await recordOutboundMail(tx, {
    ticketId: m.ticket.id,
    direction: m.direction,
    messageId: out ? messageId : null,
    inReplyTo,
    from,
    to: m.to,
    subject: m.subject,
    text: out
      ? out.shownText ?? m.text
      : `${m.subject}\n→ ${m.to.map((a) => a.address).join(", ")}`,
    autoKind: "auto-reply",
    agentId: out?.agentId ?? null,
    raw,
    relayConfigured: sender.relayConfigured,
    now: m.now,
  });
}

/**
 * Queues mail that belongs to no ticket (an agent's invitation): composed like automatic mail,
 * through the same durable outbox, recorded nowhere else.
 */
export async function queueSystemMail(
  tx: Tx,
  sender: Pick<Sender, "supportAddress" | "fromName" | "relayConfigured">,
  m: { to: MailAddress; subject: string; text: string; now: number },
): Promise<void> {
  const raw = await composeUtf8Mail({
    from: { name: sender.fromName, address: sender.supportAddress },
    to: [m.to],
    subject: m.subject.replace(/[\r\n]+/g, " "),
    text: m.text,
    messageId: `system.${crypto.randomUUID()}@${sender.supportAddress.split("@")[1]}`,
    date: new Date(m.now),
    headers: { "Auto-Submitted": "auto-generated" },
  });
  await enqueueMail(tx, {
    messageId: null,
    envelope: { from: sender.supportAddress, to: [m.to.address] },
    raw,
    held: !sender.relayConfigured,
    now: m.now,
  });
}
