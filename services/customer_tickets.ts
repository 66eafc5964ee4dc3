/**
 * What customers write outside SMTP: a ticket opened on a customer's behalf (a phone call, a
 * chat, a LINE message, the web form, the API) and a customer's answer from their page. Either is
 * an inbound message like a mail, but with no raw bytes and no Message-ID.
 */
import { upsertCustomer } from "../db/customers.ts";
import { findSubmission, insertSubmission } from "../db/customer_access.ts";
import { insertCustomerMessage } from "../db/messages.ts";
import { defaultDepartmentId, findTicket, insertTicket, touchTicket } from "../db/tickets.ts";
import { NotFoundError, ValidationError } from "../domain/errors.ts";
import type { InboundAttachment } from "../domain/inbound_message.ts";
import { statusAfterCustomerMessage, statusForNewTicket } from "../domain/ticket_status.ts";
import { stripReplyPrefixes } from "../domain/threading.ts";
import { hashSecret, newReplyToken } from "../domain/tokens.ts";
import type { OpContext } from "./context.ts";
import { afterTicketChange } from "./after_change.ts";
import { routeNewTicket } from "./routing_rules.ts";

export interface CustomerTicketInput {
  customer: { email: string; name: string };
  subject: string;
  text: string;
  /** Where the conversation happened: "api", "phone", "chat", "line", "web"… */
  channel: string;
  /** The department; the default one when absent. */
  departmentId?: number;
  attachments?: InboundAttachment[];
  /** Anyone could have typed this address (the public form): an existing customer's name stays. */
  keepExistingName?: boolean;
  /** The inquiry form's category (its label), which routing rules may match. */
  category?: string | null;
}

export interface CreatedTicket {
  id: number;
  number: number;
  messageId: number;
}

/** Opens a ticket with an inbound message from the customer; returns its id and number. */
export async function createTicketForCustomer(
  ctx: OpContext,
  input: CustomerTicketInput,
): Promise<CreatedTicket> {
  const { tx, now } = ctx;
  const text = input.text.replace(/\r\n?/g, "\n").trim();
  if (!text) throw new ValidationError("The message is empty", { text: "required" });
  const status = statusForNewTicket("none");
  const customer = await upsertCustomer(tx, input.customer.email, input.customer.name, now, {
    keepExistingName: input.keepExistingName,
  });
  const ticket = await insertTicket(tx, {
    subject: input.subject,
    status,
    customerId: customer.id,
    departmentId: input.departmentId ?? await defaultDepartmentId(tx),
    replyToken: newReplyToken(),
    channel: input.channel,
    now,
  });
  const messageId = await insertCustomerMessage(tx, {
    ticketId: ticket.id,
    from: { address: customer.email, name: customer.name },
    supportAddress: ctx.sender.supportAddress,
    subject: input.subject,
    text,
    attachments: input.attachments ?? [],
    now,
  });
  await touchTicket(tx, ticket.id, status, now);
  await afterTicketChange(ctx, {
    ticketId: ticket.id,
    event: { kind: "ticket.created", data: { channel: input.channel } },
  });
  await routeNewTicket(ctx, {
    ticketId: ticket.id,
    subject: input.subject,
    body: text,
    sender: customer.email,
    category: input.category ?? null,
  });
  return { ...ticket, messageId };
}

export interface CustomerWebReply {
  ticketId: number;
  text: string;
  attachments: InboundAttachment[];
  /** The verified one-time form token of the reply form. */
  formToken: string;
}

/**
 * Adds the customer's answer from their page; it joins the ticket exactly like a mailed reply
 * (domain/ticket_status.ts decides the status). The spent form token is written in the same
 * transaction, so a double post adds one message: a replay returns the first post's message.
 */
export async function addCustomerWebReply(
  ctx: OpContext,
  input: CustomerWebReply,
): Promise<{ kind: "added" | "replayed"; messageId: number }> {
  const { tx, now } = ctx;
  const text = input.text.replace(/\r\n?/g, "\n").trim();
  if (!text && input.attachments.length === 0) {
    throw new ValidationError("The reply is empty", { text: "required" });
  }
  const nonceHash = await hashSecret(input.formToken);
  const seen = await findSubmission(tx, nonceHash);
  if (seen) return { kind: "replayed", messageId: seen.messageId };
  const ticket = await findTicket(tx, input.ticketId);
  if (!ticket) throw new NotFoundError("No such ticket");
  const messageId = await insertCustomerMessage(tx, {
    ticketId: ticket.id,
    from: { address: ticket.customerEmail, name: ticket.customerName },
    supportAddress: ctx.sender.supportAddress,
    subject: `Re: ${stripReplyPrefixes(ticket.subject)}`,
    text,
    attachments: input.attachments,
    now,
  });
  const status = statusAfterCustomerMessage(ticket.status, "none");
  await touchTicket(tx, ticket.id, status, now);
  await insertSubmission(tx, { nonceHash, receiptHash: null, ticketId: ticket.id, messageId, now });
  await afterTicketChange(ctx, {
    ticketId: ticket.id,
    status: { from: ticket.status, to: status },
    customerMessage: {
      departmentId: ticket.departmentId,
      messageId,
      from: ticket.customerEmail,
      autoKind: "none",
      via: "web",
    },
    event: { kind: "web.joined", data: { via: "customer-page", from: ticket.status } },
  });
  return { kind: "added", messageId };
}
