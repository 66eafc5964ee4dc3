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
import type { Sender } from "../mail/sender.ts";
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
import { queueAutoMail } from "../mail/outbound_record.ts";
import { takeAutoMailSlot } from "../mail/auto_mail_cap.ts";
import { mailboxKey } from "../domain/auto_mail_cap.ts";
import { type AuthVerdicts, failsAlignment } from "../domain/mail_auth.ts";
import type { OpContext } from "./context.ts";
import { changeDepartment } from "./tickets.ts";

export interface ArrivedMail {
  ticketId: number;
  /** Only a new ticket moves to the on-duty department; a reply stays with its ticket. */
  isNewTicket: boolean;
  message: InboundMessage;
  sender: MailAddress;
  /** SMTP MAIL FROM (null for `<>` or when the message did not come over SMTP). */
  envelopeFrom: string | null;
  /** Sender authentication from the SMTP session, when it ran. */
  auth?: AuthVerdicts | null;
  /** Old mail being imported: it arrived long ago, so it is neither answered nor routed now. */
  imported?: boolean;
}

/**
 * Routes and answers a message that arrived outside business hours; nothing when open. A caller
 * that already read the ticket's department and its schedule passes them as `known`; the ticket
 * itself is then read only when the department is closed.
 */
export async function handleAfterHours(
  ctx: OpContext,
  arrived: ArrivedMail,
  known?: { departmentId: number; schedule: Schedule | null },
): Promise<void> {
  const { tx, now, sender: mail } = ctx;
  if (arrived.imported) return;
  if (known && (!known.schedule || isOpen(known.schedule, now))) return;
  const ticket = await findTicket(tx, arrived.ticketId);
  if (!ticket) return;
  const schedule = known && known.departmentId === ticket.departmentId
    ? known.schedule
    : await loadDepartmentSchedule(tx, ticket.departmentId);
  if (!schedule || isOpen(schedule, now)) return;
  const policy = await loadAfterHoursPolicy(tx, ticket.departmentId);
  if (policy.autoReply && await autoReply(tx, mail, { ticket, schedule, policy, arrived, now })) {
    ctx.wake("outbox");
  }
  if (arrived.isNewTicket) await routeToOnDuty(ctx, ticket, policy);
}

/** A new ticket that arrived while its department is closed goes to the on-duty department. */
async function routeToOnDuty(ctx: OpContext, ticket: Ticket, policy: AfterHoursPolicy) {
  const to = policy.onDutyDepartmentId;
  if (to === null || to === ticket.departmentId || !await findDepartment(ctx.tx, to)) return;
  await changeDepartment(ctx, { ticketId: ticket.id, departmentId: to, reason: "after_hours" });
  await recordEvent(ctx.tx, {
    ticketId: ticket.id,
    agentId: null,
    kind: "ticket.routed",
    data: { from: ticket.departmentId, to, reason: "after_hours" },
    now: ctx.now,
  });
}

/** Queues the auto-reply unless domain/after_hours.ts refuses it; true when queued. */
async function autoReply(
  tx: Tx,
  mail: Sender,
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
  const mailbox = mailboxKey(arrived.sender.address).key;
  const refusal = autoReplyRefusal({
    autoKind: arrived.message.autoKind,
    sender: arrived.sender.address,
    envelopeFrom: arrived.envelopeFrom,
    ourDomains: mail.mailDomains,
    // `Taro+1@` and `taro+2@` are one mailbox: one reply per period, not one per spelling.
    lastRepliedAt: await lastAutoReplyAt(tx, departmentId, mailbox),
    now,
  });
  if (refusal || !arrived.envelopeFrom) return false;
  // The envelope sender (RFC 3834 §4), which the refusal check matched against From.
  const recipient = arrived.envelopeFrom.trim();
  if (failsAlignment(arrived.auth)) {
    // DMARC says the From is not the sender's: a reply would be backscatter to a stranger.
    await recordEvent(tx, {
      ticketId: ticket.id,
      agentId: null,
      kind: "after_hours.skipped",
      data: { to: recipient, reason: "dmarc_fail" },
      now,
    });
    return false;
  }
  const capped = await takeAutoMailSlot(tx, mail.autoMailCaps, {
    kind: "after_hours",
    address: recipient,
    perAddress: { max: Number.MAX_SAFE_INTEGER, windowMs: 0 },
    now,
  });
  if (capped) {
    await recordEvent(tx, {
      ticketId: ticket.id,
      agentId: null,
      kind: "after_hours.skipped",
      data: { to: recipient, reason: capped.reason },
      now,
    });
    return false;
  }

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
  await recordAutoReply(tx, departmentId, mailbox, now);
  await recordEvent(tx, {
    ticketId: ticket.id,
    agentId: null,
    kind: "after_hours.replied",
    data: { messageId: id, to: arrived.sender.address },
    now,
  });
  return true;
}
