/**
 * A customer's answer from their page joins the ticket exactly like a mailed reply: an inbound
 * message, the status rule of domain/ticket_status.ts (a resolved or waiting ticket needs
 * attention again), a notification for the agents who should answer (mail/customer_reply_notice.ts)
 * and an audit event — in one transaction with the spent form token, so a double post adds one
 * message.
 */
import type { Store } from "../db/client.ts";
import { findSubmission, insertSubmission } from "../db/customer_access.ts";
import { recordEvent } from "../db/events.ts";
import { notifyCustomerReply } from "./customer_reply_notice.ts";
import { insertCustomerMessage } from "../db/messages.ts";
import { findTicket, touchTicket } from "../db/tickets.ts";
import { recomputeTicketSla } from "../db/sla.ts";
import { wakeLoops } from "../loops/wakeups.ts";
import { syncReminders } from "../loops/reminders.ts";
import { NotFoundError, ValidationError } from "../domain/errors.ts";
import type { InboundAttachment } from "../domain/inbound_message.ts";
import { statusAfterCustomerMessage } from "../domain/ticket_status.ts";
import { stripReplyPrefixes } from "../domain/threading.ts";
import { hashSecret } from "../domain/tokens.ts";

export interface CustomerWebReply {
  ticketId: number;
  text: string;
  attachments: InboundAttachment[];
  /** The verified one-time form token of the reply form. */
  formToken: string;
  supportAddress: string;
  now?: number;
}

/** Adds the customer's reply; a replayed form token returns the first post's message. */
export async function addCustomerWebReply(
  store: Store,
  input: CustomerWebReply,
): Promise<{ kind: "added" | "replayed"; messageId: number }> {
  const text = input.text.replace(/\r\n?/g, "\n").trim();
  if (!text && input.attachments.length === 0) {
    throw new ValidationError("The reply is empty", { text: "required" });
  }
  const now = input.now ?? Date.now();
  const nonceHash = await hashSecret(input.formToken);
  const result = await store.writeTx(async (tx): Promise<
    { kind: "added" | "replayed"; messageId: number }
  > => {
    const seen = await findSubmission(tx, nonceHash);
    if (seen) return { kind: "replayed", messageId: seen.messageId };
    const ticket = await findTicket(tx, input.ticketId);
    if (!ticket) throw new NotFoundError("No such ticket");
    const messageId = await insertCustomerMessage(tx, {
      ticketId: ticket.id,
      from: { address: ticket.customerEmail, name: ticket.customerName },
      supportAddress: input.supportAddress,
      subject: `Re: ${stripReplyPrefixes(ticket.subject)}`,
      text,
      attachments: input.attachments,
      now,
    });
    const status = statusAfterCustomerMessage(ticket.status, "none");
    await touchTicket(tx, ticket.id, status, now);
    // The customer answered: a reminder series waiting on them ends.
    await syncReminders(tx, { ticketId: ticket.id, from: ticket.status, to: status, now });
    await recomputeTicketSla(tx, ticket.id, now);
    await notifyCustomerReply(tx, {
      ticketId: ticket.id,
      departmentId: ticket.departmentId,
      messageId,
      from: ticket.customerEmail,
      autoKind: "none",
      via: "web",
      now,
    });
    await insertSubmission(tx, {
      nonceHash,
      receiptHash: null,
      ticketId: ticket.id,
      messageId,
      now,
    });
    await recordEvent(tx, {
      ticketId: ticket.id,
      agentId: null,
      kind: "web.joined",
      data: { via: "customer-page", from: ticket.status },
      now,
    });
    return { kind: "added", messageId };
  });
  // Committed: the reply started a next-response cycle, whose timers the scheduler must see.
  if (result.kind === "added") wakeLoops("timers");
  return result;
}
