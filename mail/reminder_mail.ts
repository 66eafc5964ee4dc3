/**
 * The reminder a waiting customer gets. It threads exactly like an agent's reply (mail/compose.ts:
 * our Message-ID with the reply token, plus-address Reply-To, In-Reply-To/References to the
 * customer's last message, the subject tag), so the customer's answer joins the ticket and stops
 * the series. It is marked `Auto-Submitted: auto-generated` (RFC 3834 §5: sent by a program, not
 * in response to a message) and recorded on the ticket as outbound mail with its delivery state.
 */
import type { Tx } from "../db/client.ts";
import { lastInboundMessage } from "../db/messages.ts";
import type { Ticket } from "../db/tickets.ts";
import { guessLang, pickTemplate } from "../domain/lang_templates.ts";
import { renderTemplate } from "../domain/mail_template.ts";
import { DEFAULT_REMINDER_TEMPLATES, type ReminderPolicy } from "../domain/reminder_policy.ts";
import { queueThreadedMail } from "./outbound_record.ts";
import type { Sender } from "./sender.ts";

/** Queues reminder number `count` of the current wait; returns the new message's id. */
export async function queueReminderMail(
  tx: Tx,
  settings: Sender,
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
  return await queueThreadedMail(tx, settings, {
    ticket,
    last,
    subject: rendered.subject,
    text: rendered.body,
    headers: { "Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All" },
    now,
  });
}
