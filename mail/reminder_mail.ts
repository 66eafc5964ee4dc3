/**
 * The reminder a waiting customer gets. It threads exactly like an agent's reply (mail/compose.ts:
 * our Message-ID with the reply token, plus-address Reply-To, In-Reply-To/References to the
 * customer's last message, the subject tag), so the customer's answer joins the ticket and stops
 * the series. It is marked `Auto-Submitted: auto-generated` (RFC 3834 §5: sent by a program, not
 * in response to a message) and recorded on the ticket as outbound mail with its delivery state.
 */
import type { Tx } from "../db/client.ts";
import { insertMessage, lastInboundMessage } from "../db/messages.ts";
import { enqueueMail } from "../db/outbox.ts";
import type { Ticket } from "../db/tickets.ts";
import { guessLang, pickTemplate } from "../domain/lang_templates.ts";
import { renderTemplate } from "../domain/mail_template.ts";
import { DEFAULT_REMINDER_TEMPLATES, type ReminderPolicy } from "../domain/reminder_policy.ts";
import { composeReply } from "./compose.ts";
import type { ReplySettings } from "./reply.ts";

/** Queues reminder number `count` of the current wait; returns the new message's id. */
export async function queueReminderMail(
  tx: Tx,
  settings: ReplySettings,
  r: { ticket: Ticket; policy: ReminderPolicy; count: number; now: number },
): Promise<number> {
  const { ticket, now } = r;
  const last = await lastInboundMessage(tx, ticket.id);
  const lang = guessLang(`${ticket.subject}\n${last?.subject ?? ""}\n${ticket.customerName}`);
  const rendered = renderTemplate(
    pickTemplate(r.policy.templates, DEFAULT_REMINDER_TEMPLATES, lang),
    {
      number: String(ticket.number),
      name: ticket.customerName || ticket.customerEmail,
      subject: ticket.subject,
      count: String(r.count),
      days: String(r.policy.afterDays),
    },
  );
  const to = { address: ticket.customerEmail, name: ticket.customerName };
  const mail = await composeReply({
    fromName: settings.fromName,
    supportAddress: settings.supportAddress,
    to,
    ticketSubject: rendered.subject,
    ticketNumber: ticket.number,
    replyToken: ticket.replyToken,
    subjectTagPrefix: settings.subjectTagPrefix,
    inReplyTo: last?.messageId ?? null,
    references: last ? JSON.parse(last.referencesJson) : [],
    text: rendered.body,
    date: new Date(now),
    charset: settings.outboundCharset,
    headers: { "Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All" },
  });
  const messageId = await insertMessage(tx, {
    ticketId: ticket.id,
    direction: "out",
    messageId: mail.messageId,
    inReplyTo: last?.messageId ?? null,
    references: [],
    from: { address: settings.supportAddress, name: settings.fromName },
    to: [to],
    cc: [],
    subject: mail.subject,
    text: rendered.body,
    html: null,
    autoKind: "auto-reply",
    rawId: null,
    agentId: null,
    createdAt: now,
    attachments: [],
  });
  await enqueueMail(tx, {
    messageId,
    envelope: mail.envelope,
    raw: mail.raw,
    held: !settings.relayConfigured,
    now,
  });
  await tx.updateTable("tickets").set((eb) => ({
    last_message_at: now,
    message_count: eb("message_count", "+", 1),
  })).where("id", "=", ticket.id).execute();
  return messageId;
}
