/**
 * The mails an inquiry sends, queued in the outbox inside the inquiry's own transaction: to the
 * customer (their inquiry, its number, their link and access key) and to the department's agents
 * (the inquiry and a deep link to the ticket's reply box). Each can be switched off per
 * department, neither goes to an address that looks like a machine's, and both are marked as
 * automatic mail.
 *
 * The customer's mail is recorded on the ticket as an outbound automatic message with the link
 * and key masked; the agents' notification as an internal note (direction "note"), which the
 * customer's page never shows.
 *
 * The public form lets anyone type any address, so it could be used to mail a stranger over and
 * over: a mailbox (`victim+1@` is `victim@`) gets at most CONFIRMATIONS_PER_ADDRESS customer
 * confirmations per CONFIRMATION_WINDOW_MS, and the domain and global hourly caps of
 * mail/auto_mail_cap.ts apply (counted in the database, so a restart forgets nothing). Beyond
 * that the ticket is still filed; only the mail is skipped, with an event.
 */
import type { Tx } from "../db/client.ts";
import { departmentRecipients, type DepartmentSettings } from "../db/departments.ts";
import { recordEvent } from "../db/events.ts";
import type { Ticket } from "../db/tickets.ts";
import type { Lang } from "../domain/inquiry_form.ts";
import { effectiveTemplate, renderTemplate } from "../domain/mail_template.ts";
import { isMachineAddress } from "./auto_mail.ts";
import { customerPageUrl, maskSecrets, statusPageUrl } from "./customer_link.ts";
import type { Sender } from "./sender.ts";
import { queueAutoMail } from "./outbound_record.ts";
import { takeAutoMailSlot } from "./auto_mail_cap.ts";

/** Customer confirmations one address may get per window. */
export const CONFIRMATIONS_PER_ADDRESS = 3;
export const CONFIRMATION_WINDOW_MS = 24 * 3_600_000;

export interface ConfirmationInput {
  ticket: Ticket;
  department: { name: string };
  settings: DepartmentSettings;
  /** The customer's language. */
  lang: Lang;
  /** The message as agents read it (the free text and the other answers). */
  body: string;
  linkToken: string;
  accessKey: string;
  now: number;
}

/** Queues the confirmation to the customer and the notification to agents, as configured. */
export async function queueInquiryConfirmations(
  tx: Tx,
  mail: Sender,
  input: ConfirmationInput,
): Promise<{ customer: boolean; agents: number }> {
  const { ticket, settings } = input;
  const vars = {
    number: String(ticket.number),
    tag: `[${mail.subjectTagPrefix}${ticket.number}]`,
    name: ticket.customerName,
    email: ticket.customerEmail,
    subject: ticket.subject,
    body: input.body,
    department: input.department.name,
  };
  let customer = false;
  if (
    settings.confirmCustomer && !isMachineAddress(ticket.customerEmail) &&
    await underConfirmationCap(tx, mail, ticket, input.now)
  ) {
    const replyUrl = customerPageUrl(mail.publicUrl, input.linkToken);
    const rendered = renderTemplate(effectiveTemplate(settings.templates, "customer", input.lang), {
      ...vars,
      reply_url: replyUrl,
      status_url: statusPageUrl(mail.publicUrl),
      access_key: input.accessKey,
    });
    // The customer may answer the confirmation: the plus-address threads it like a reply.
    await queueAutoMail(tx, mail, {
      direction: "out",
      ticket,
      to: [{ address: ticket.customerEmail, name: ticket.customerName }],
      subject: rendered.subject,
      text: rendered.body,
      shownText: maskSecrets(rendered.body, [replyUrl, input.accessKey]),
      now: input.now,
    });
    await recordEvent(tx, {
      ticketId: ticket.id,
      agentId: null,
      kind: "confirmation.sent",
      data: { to: ticket.customerEmail },
      now: input.now,
    });
    customer = true;
  }
  let agents = 0;
  if (settings.confirmAgents) {
    const recipients = (await departmentRecipients(tx, settings.notifyAgentIds))
      .filter((a) => a.email !== mail.supportAddress && !isMachineAddress(a.email));
    const ticketUrl = `${mail.publicUrl}/tickets/${ticket.number}?focus=reply#reply`;
    for (const lang of ["ja", "en"] as const) {
      const group = recipients.filter((a) => (a.locale === "en" ? "en" : "ja") === lang);
      if (group.length === 0) continue;
      const rendered = renderTemplate(effectiveTemplate(settings.templates, "agents", lang), {
        ...vars,
        ticket_url: ticketUrl,
      });
      await queueAutoMail(tx, mail, {
        direction: "note",
        idPrefix: "notify",
        ticket,
        to: group.map((a) => ({ address: a.email, name: a.name })),
        subject: rendered.subject,
        text: rendered.body,
        now: input.now,
      });
      agents += group.length;
    }
  }
  return { customer, agents };
}

/**
 * Whether the customer's mailbox may get another confirmation (at most CONFIRMATIONS_PER_ADDRESS
 * per window however the address is spelt, within the domain and global caps); takes the slot,
 * or records the skip.
 */
async function underConfirmationCap(
  tx: Tx,
  mail: Sender,
  ticket: Ticket,
  now: number,
): Promise<boolean> {
  const capped = await takeAutoMailSlot(tx, mail.autoMailCaps, {
    kind: "confirmation",
    address: ticket.customerEmail,
    perAddress: { max: CONFIRMATIONS_PER_ADDRESS, windowMs: CONFIRMATION_WINDOW_MS },
    now,
  });
  if (!capped) return true;
  await recordEvent(tx, {
    ticketId: ticket.id,
    agentId: null,
    kind: "confirmation.skipped",
    data: { to: ticket.customerEmail, reason: "rate_limited", cap: capped.reason },
    now,
  });
  return false;
}
