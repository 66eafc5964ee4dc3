/**
 * A ticket opened on a customer's behalf (a phone call, a chat, a LINE message, a form posted to the
 * API): the customer, the ticket and the customer's first message are written in one transaction,
 * so the ticket either exists with its message or not at all. The message is inbound like a mail,
 * but has no raw bytes and no Message-ID: nothing was received over SMTP.
 */
import type { Store, Tx } from "../db/client.ts";
import type { InboundAttachment } from "../domain/inbound_message.ts";
import { upsertCustomer } from "../db/customers.ts";
import { insertCustomerMessage } from "../db/messages.ts";
import { defaultDepartmentId, insertTicket, touchTicket } from "../db/tickets.ts";
import { recordEvent } from "../db/events.ts";
import { recomputeTicketSla } from "../db/sla.ts";
import { wakeLoops } from "../loops/wakeups.ts";
import { ValidationError } from "../domain/errors.ts";
import { statusForNewTicket } from "../domain/ticket_status.ts";
import { newReplyToken } from "../domain/tokens.ts";

export interface CustomerTicketInput {
  customer: { email: string; name: string };
  subject: string;
  text: string;
  /** Where the conversation happened: "api", "phone", "chat", "line"… */
  channel: string;
  /** The address the customer is considered to have written to (ours). */
  supportAddress: string;
  /** The agent who recorded it, for the audit trail. */
  agentId: number | null;
  /** The department; the default one when absent. */
  departmentId?: number;
  attachments?: InboundAttachment[];
  /** Anyone could have typed this address (the public form): an existing customer's name stays. */
  keepExistingName?: boolean;
  /** Runs in the creating transaction (e.g. replay guards, confirmations); throwing undoes all. */
  within?: (tx: Tx, created: CreatedTicket) => Promise<void>;
  now?: number;
}

export interface CreatedTicket {
  id: number;
  number: number;
  messageId: number;
}

/** Opens a ticket with an inbound message from the customer; returns its id and number. */
export async function createTicketForCustomer(
  store: Store,
  input: CustomerTicketInput,
): Promise<CreatedTicket> {
  const text = input.text.replace(/\r\n?/g, "\n").trim();
  if (!text) throw new ValidationError("The message is empty", { text: "is required" });
  const now = input.now ?? Date.now();
  const status = statusForNewTicket("none");
  const created = await store.writeTx(async (tx) => {
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
      supportAddress: input.supportAddress,
      subject: input.subject,
      text,
      attachments: input.attachments ?? [],
      now,
    });
    await touchTicket(tx, ticket.id, status, now);
    await recomputeTicketSla(tx, ticket.id, now);
    await recordEvent(tx, {
      ticketId: ticket.id,
      agentId: input.agentId,
      kind: "ticket.created",
      data: { channel: input.channel },
      now,
    });
    const created = { ...ticket, messageId };
    await input.within?.(tx, created);
    return created;
  });
  // Committed: its SLA timers are armed, and `within` may have queued mail.
  wakeLoops("timers", "outbox");
  return created;
}
