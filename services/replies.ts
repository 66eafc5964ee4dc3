/**
 * An agent's reply: compose the mail, record it on the ticket, queue it in the outbox and set the
 * ticket's status — in the caller's transaction, so a reply is either fully queued or not at all.
 */
import { updateTicketStatus } from "../db/tickets.ts";
import { lastInboundMessage } from "../db/messages.ts";
import { findDepartmentIdentity } from "../db/department_addresses.ts";
import { ConflictError } from "../domain/errors.ts";
import { fieldProblems } from "../domain/validation.ts";
import { onlySignature, withSignature } from "../domain/signature.ts";
import { envelopeRecipients } from "../domain/recipients.ts";
import type { OutgoingAttachment } from "../mail/compose.ts";
import {
  checkedAttachments,
  type RecipientEntries,
  replyRecipients,
  replySignature,
} from "./composer.ts";
import { holdsReply } from "../domain/reply_guard.ts";
import { messagesSinceVersion } from "../db/ticket_versions.ts";
import type { TicketStatus } from "../domain/ticket_status.ts";
import {
  customerLinkFooter,
  customerPageUrl,
  issueCustomerLink,
  maskSecrets,
} from "../mail/customer_link.ts";
import { fillSendTime, unfilledVariables } from "../domain/template_vars.ts";
import { recordTemplateUse } from "../db/templates.ts";
import { visibleTemplate } from "./templates.ts";
import { queueThreadedMail } from "../mail/outbound_record.ts";
import type { OpContext } from "./context.ts";
import { afterTicketChange } from "./after_change.ts";
import { ticketFor } from "./access.ts";
import { assignReplier } from "./assignment.ts";
import { guardReplyLock } from "./reply_lock.ts";
import { discardDraft } from "./drafts.ts";
import { findSendDelay, holdQueuedMail } from "../db/send_delay.ts";
import { recordHandlingTime } from "./handling_time.ts";

export interface ReplyInput {
  ticketId: number;
  text: string;
  /** The ticket's status once the reply is queued. */
  status: TicketStatus;
  /** The template the reply started from: its use is counted and feeds the suggestions. */
  templateId?: number | null;
  /**
   * The ticket version the reply was composed against. When the customer wrote or someone replied
   * since, the reply is refused (ConflictError "stale") with what is new. Absent: no check (the
   * API before issue 10).
   */
  expectedVersion?: number;
  /** Take the reply over from a colleague who is writing it (an explicit, confirmed choice). */
  takeOver?: boolean;
  /** Sent because a supervisor approved it (services/approvals.ts): no lock check, no delay. */
  approved?: boolean;
  /** The reply form's signed render stamp: handling time (services/handling_time.ts). */
  composeStamp?: string;
  /**
   * To, Cc and Bcc as written, one mailbox per entry; a field left out keeps its reply-all
   * default (services/composer.ts).
   */
  recipients?: Partial<RecipientEntries>;
  /** Files to send, within the upload limits. */
  attachments?: OutgoingAttachment[];
  /**
   * The text already ends in the signature, as the agent saw and edited it (the web composer);
   * otherwise the agent's and the department's signature are appended (the API).
   */
  signed?: boolean;
}

/** An empty reply: ValidationError on `text`, with its catalog key. */
export function emptyReply() {
  return fieldProblems("The reply is empty", {
    text: { key: "reply.empty", en: "is required" },
  });
}

/**
 * The text a reply sends: its own, with the signature appended unless the agent already had it
 * in the composer. A template variable nobody filled would reach the customer as
 * "{{customer.name}}", so that is refused (with a catalog key: the page keeps the typed text).
 */
export async function replyText(
  ctx: OpContext,
  input: Pick<ReplyInput, "text" | "signed">,
  ticket: { departmentId: number },
): Promise<string> {
  if (ctx.actor.kind !== "agent") throw new Error("replyText: only an agent replies");
  const text = input.text.replace(/\r\n?/g, "\n").trim();
  const signature = await replySignature(ctx.tx, ctx.actor.id, ticket.departmentId);
  if (!text || (input.signed && onlySignature(text, signature))) throw emptyReply();
  const unfilled = unfilledVariables(text);
  if (unfilled.length) {
    const names = unfilled.map((n) => `{{${n}}}`).join(" ");
    throw fieldProblems(`Fill in the template variables: ${names}`, {
      text: { key: "templates.unfilled", vars: { names }, en: `unfilled variables: ${names}` },
    });
  }
  return input.signed ? text : withSignature(text, signature);
}

/** What the stale refusal carries: the current version and the messages that hold the reply. */
export interface StaleDetails {
  version: number;
  changes: {
    id: number;
    direction: "in" | "out" | "note";
    from: { name: string; address: string };
    text: string;
    /** ISO 8601. */
    created_at: string;
  }[];
}

/**
 * Refuses a reply composed against `expected` when a customer message or another reply came
 * since (or `expected` is a version the ticket never had). Runs in the writer's transaction right
 * before the reply is recorded: the single writer serializes check and write, so of any number of
 * sends against one version exactly one passes.
 */
export async function guardStale(
  ctx: OpContext,
  ticket: { id: number; version: number },
  expected: number,
) {
  if (ticket.version === expected) return;
  const since = await messagesSinceVersion(ctx.tx, ticket.id, expected);
  const holding = since.filter(holdsReply);
  if (holding.length === 0 && expected < ticket.version) return;
  const details: StaleDetails = {
    version: ticket.version,
    changes: holding.map((m) => ({
      id: m.id,
      direction: m.direction,
      from: { name: m.fromName, address: m.fromAddress },
      text: m.text,
      created_at: new Date(m.createdAt).toISOString(),
    })),
  };
  throw new ConflictError("The ticket changed since the reply was composed", "stale", {
    ...details,
  });
}

/** Queues the acting agent's reply to the ticket's customer; returns the new message's id. */
export async function replyToCustomer(ctx: OpContext, input: ReplyInput): Promise<number> {
  const { tx, now, sender } = ctx;
  if (ctx.actor.kind !== "agent") throw new Error("replyToCustomer: only an agent replies");
  const agent = { id: ctx.actor.id, name: ctx.actor.name };
  const ticket = await ticketFor(ctx, input.ticketId, "ticket.reply");
  const text = await replyText(ctx, input, ticket);
  const recipients = await replyRecipients(tx, sender, ticket, now, input.recipients);
  const attachments = checkedAttachments(input.attachments ?? []);
  // Nobody answers twice: the version check and the write share the writer's transaction.
  if (input.expectedVersion !== undefined) await guardStale(ctx, ticket, input.expectedVersion);
  if (!input.approved) {
    await guardReplyLock(ctx, { ticketId: ticket.id, takeOver: input.takeOver });
  }
  const template = input.templateId ? await visibleTemplate(tx, agent, input.templateId) : null;
  const last = await lastInboundMessage(tx, ticket.id);
  // The ticket's department may have its own From name and reply address.
  const identity = await findDepartmentIdentity(tx, ticket.departmentId);
  const from = {
    ...sender,
    fromName: identity.fromName ?? sender.fromName,
    supportAddress: identity.replyAddress ?? sender.supportAddress,
  };
  // The footer's link opens the customer's own page: it goes only in mail that only they get.
  const customerOnly = envelopeRecipients(recipients)
    .every((a) => a.toLowerCase() === ticket.customerEmail.toLowerCase());
  const footer = sender.publicUrl && customerOnly
    ? await customerLinkFooter(tx, sender.publicUrl, ticket.id, now)
    : null;
  // {{customer_page_url}} in the text gets a link of its own, masked on the ticket like the footer.
  let body = text;
  let shown = text;
  if (sender.publicUrl && text !== fillSendTime(text, "x")) {
    const url = customerPageUrl(sender.publicUrl, await issueCustomerLink(tx, ticket.id, now));
    body = fillSendTime(text, url);
    shown = maskSecrets(body, [url]);
  }
  const messageId = await queueThreadedMail(tx, from, {
    ticket,
    last,
    subject: ticket.subject,
    text: footer ? `${body}\n\n-- \n${footer}` : body,
    shownText: shown,
    agent,
    recipients,
    attachments,
    now,
  });
  if (template) {
    await recordTemplateUse(tx, {
      templateId: template.id,
      ticketId: ticket.id,
      messageId,
      agentId: agent.id,
      now,
    });
  }
  // Handling time (reports): composing time from the form's stamp; nothing without one.
  await recordHandlingTime(ctx, { ticketId: ticket.id, messageId, stamp: input.composeStamp });
  // Send delay (送信取消): the outbox holds it until then; services/undo_send.ts may cancel it.
  const delay = input.approved ? 0 : await findSendDelay(tx, agent.id);
  if (delay > 0) await holdQueuedMail(tx, messageId, now + delay * 1000);
  await updateTicketStatus(tx, ticket.id, input.status, now);
  await assignReplier(ctx, ticket);
  // Sent: the draft is spent and the reply is free again.
  await discardDraft(ctx, ticket.id);
  // The reply meets the response clocks; its status may pause or stop the resolution clock.
  await afterTicketChange(ctx, {
    ticketId: ticket.id,
    status: { from: ticket.status, to: input.status, agentReplied: true },
    event: {
      kind: "reply.queued",
      data: { messageId, status: input.status, from: ticket.status, delaySeconds: delay },
    },
    mailQueued: true,
  });
  return messageId;
}
