/**
 * Mail that arrives while its department is closed: new tickets may move to an on-duty department,
 * and the sender may get one auto-reply saying when we open again. Runs inside the ingest
 * transaction, so the reply is queued in the outbox exactly when the message is filed.
 *
 * The reply is RFC 3834 mail: `Auto-Submitted: auto-replied`, `Precedence: auto_reply`,
 * `X-Auto-Response-Suppress: All`, In-Reply-To/References to the customer's message. It carries
 * our Message-ID with the reply token and the plus-address Reply-To, so an answer to it joins the
 * ticket. Who gets one is decided by domain/after_hours.ts.
 */
import type { Tx } from "../db/client.ts";
import { loadDepartmentSchedule } from "../db/schedules.ts";
import { lastAutoReplyAt, loadAfterHoursPolicy, recordAutoReply } from "../db/after_hours.ts";
import { findDepartment } from "../db/departments.ts";
import { recordEvent } from "../db/events.ts";
import { findTicket, type Ticket } from "../db/tickets.ts";
import { isOpen, nextOpening } from "../domain/business_time.ts";
import {
  type AfterHoursPolicy,
  autoReplyRefusal,
  DEFAULT_AFTER_HOURS_TEMPLATES,
  formatOpening,
} from "../domain/after_hours.ts";
import { guessLang, pickTemplate } from "../domain/lang_templates.ts";
import { renderTemplate } from "../domain/mail_template.ts";
import type { InboundMessage, MailAddress } from "../domain/inbound_message.ts";
import type { Schedule } from "../domain/schedule.ts";
import { queueAutoMail } from "./outbound_record.ts";

/** Who we are on outbound mail; ingest passes it when auto-replies may be sent. */
export interface AutoReplyMail {
  supportAddress: string;
  fromName: string;
  subjectTagPrefix: string;
  /** The domains we receive mail for: never auto-reply to them. */
  mailDomains: string[];
  relayConfigured: boolean;
}

export interface ArrivedMail {
  ticketId: number;
  /** Only a new ticket moves to the on-duty department; a reply stays with its ticket. */
  isNewTicket: boolean;
  message: InboundMessage;
  sender: MailAddress;
  /** SMTP MAIL FROM (null for `<>` or when the message did not come over SMTP). */
  envelopeFrom: string | null;
}

/**
 * Routes and answers a message that arrived outside business hours; nothing when open. A caller
 * that already read the ticket's department and its schedule passes them as `known`; the ticket
 * itself is then read only when the department is closed.
 */
export async function handleAfterHours(
  tx: Tx,
  mail: AutoReplyMail | undefined,
  arrived: ArrivedMail,
  now: number,
  known?: { departmentId: number; schedule: Schedule | null },
): Promise<void> {
  if (known && (!known.schedule || isOpen(known.schedule, now))) return;
  const ticket = await findTicket(tx, arrived.ticketId);
  if (!ticket) return;
  const schedule = known && known.departmentId === ticket.departmentId
    ? known.schedule
    : await loadDepartmentSchedule(tx, ticket.departmentId);
  if (!schedule || isOpen(schedule, now)) return;
  const policy = await loadAfterHoursPolicy(tx, ticket.departmentId);
  if (policy.autoReply && mail) {
    await autoReply(tx, mail, { ticket, schedule, policy, arrived, now });
  }
  if (arrived.isNewTicket) await routeToOnDuty(tx, ticket, policy, now);
}

async function routeToOnDuty(tx: Tx, ticket: Ticket, policy: AfterHoursPolicy, now: number) {
  const to = policy.onDutyDepartmentId;
  if (to === null || to === ticket.departmentId || !await findDepartment(tx, to)) return;
  await tx.updateTable("tickets").set({ department_id: to }).where("id", "=", ticket.id).execute();
  await recordEvent(tx, {
    ticketId: ticket.id,
    agentId: null,
    kind: "ticket.routed",
    data: { from: ticket.departmentId, to, reason: "after_hours" },
    now,
  });
}

async function autoReply(
  tx: Tx,
  mail: AutoReplyMail,
  c: {
    ticket: Ticket;
    schedule: Schedule;
    policy: AfterHoursPolicy;
    arrived: ArrivedMail;
    now: number;
  },
) {
  const { ticket, arrived, now } = c;
  const departmentId = ticket.departmentId;
  const refusal = autoReplyRefusal({
    autoKind: arrived.message.autoKind,
    sender: arrived.sender.address,
    envelopeFrom: arrived.envelopeFrom,
    ourDomains: mail.mailDomains,
    lastRepliedAt: await lastAutoReplyAt(tx, departmentId, arrived.sender.address),
    now,
  });
  if (refusal || !arrived.envelopeFrom) return;
  // The envelope sender (RFC 3834 §4), which the refusal check matched against From.
  const recipient = arrived.envelopeFrom.trim();

  const lang = guessLang(`${arrived.message.subject}\n${arrived.message.text.slice(0, 2000)}`);
  const department = await findDepartment(tx, departmentId);
  const rendered = renderTemplate(
    pickTemplate(c.policy.templates, DEFAULT_AFTER_HOURS_TEMPLATES, lang),
    {
      number: String(ticket.number),
      tag: `[${mail.subjectTagPrefix}${ticket.number}]`,
      name: arrived.sender.name || arrived.sender.address,
      subject: ticket.subject,
      department: department?.name ?? "",
      next_opening: formatOpening(nextOpening(c.schedule, now), c.schedule.timeZone, lang),
    },
  );
  const id = await queueAutoMail(tx, mail, {
    direction: "out",
    ticket,
    to: [{ name: arrived.sender.name, address: recipient }],
    subject: rendered.subject,
    text: rendered.body,
    inReplyTo: arrived.message.messageId,
    references: arrived.message.references,
    headers: { Precedence: "auto_reply" },
    now,
  });
  await recordAutoReply(tx, departmentId, arrived.sender.address, now);
  await recordEvent(tx, {
    ticketId: ticket.id,
    agentId: null,
    kind: "after_hours.replied",
    data: { messageId: id, to: arrived.sender.address },
    now,
  });
}
