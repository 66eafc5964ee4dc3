/**
 * An agent's reply: compose the mail, record it on the ticket, queue it in the outbox and set the
 * ticket's status — all in one transaction, so a reply is either fully queued or not at all.
 */
import type { Store } from "../db/client.ts";
import { findTicket, updateTicketStatus } from "../db/tickets.ts";
import { insertMessage, lastInboundMessage } from "../db/messages.ts";
import { enqueueMail } from "../db/outbox.ts";
import { recordEvent } from "../db/events.ts";
import { NotFoundError, ValidationError } from "../domain/errors.ts";
import type { TicketStatus } from "../domain/ticket_status.ts";
import { composeReply, type OutboundCharset } from "./compose.ts";
import { customerLinkFooter } from "./customer_link.ts";
import { syncReminders } from "../loops/reminders.ts";
import { wakeLoops } from "../loops/wakeups.ts";
import { recomputeTicketSla } from "../db/sla.ts";

export interface ReplySettings {
  supportAddress: string;
  fromName: string;
  subjectTagPrefix: string;
  relayConfigured: boolean;
  /** `config.publicUrl`: when set, the mail's footer carries a fresh link to the customer's page. */
  publicUrl?: string;
  /** `config.outboundCharset`; UTF-8 when absent. */
  outboundCharset?: OutboundCharset;
}

export interface ReplyInput {
  ticketId: number;
  agent: { id: number; name: string };
  text: string;
  status: TicketStatus;
  now?: number;
}

/** Queues a reply to the ticket's customer; returns the new message's id. */
export async function queueReply(
  store: Store,
  settings: ReplySettings,
  input: ReplyInput,
): Promise<number> {
  const text = input.text.replace(/\r\n?/g, "\n").trim();
  if (!text) throw new ValidationError("The reply is empty", { text: "required" });
  const now = input.now ?? Date.now();
  let armed = false;
  const id = await store.writeTx(async (tx) => {
    const ticket = await findTicket(tx, input.ticketId);
    if (!ticket) throw new NotFoundError("No such ticket");
    const last = await lastInboundMessage(tx, ticket.id);
    const footer = settings.publicUrl
      ? await customerLinkFooter(tx, settings.publicUrl, ticket.id, now)
      : null;
    const mail = await composeReply({
      fromName: settings.fromName,
      supportAddress: settings.supportAddress,
      to: { address: ticket.customerEmail, name: ticket.customerName },
      ticketSubject: ticket.subject,
      ticketNumber: ticket.number,
      replyToken: ticket.replyToken,
      subjectTagPrefix: settings.subjectTagPrefix,
      inReplyTo: last?.messageId ?? null,
      references: last ? JSON.parse(last.referencesJson) : [],
      text: footer ? `${text}\n\n-- \n${footer}` : text,
      date: new Date(now),
      charset: settings.outboundCharset,
    });
    const messageId = await insertMessage(tx, {
      ticketId: ticket.id,
      direction: "out",
      messageId: mail.messageId,
      inReplyTo: last?.messageId ?? null,
      references: [],
      from: { address: settings.supportAddress, name: input.agent.name },
      to: [{ address: ticket.customerEmail, name: ticket.customerName }],
      cc: [],
      subject: mail.subject,
      text,
      html: null,
      autoKind: "none",
      rawId: null,
      agentId: input.agent.id,
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
    await updateTicketStatus(tx, ticket.id, input.status, now);
    armed = await syncReminders(tx, {
      ticketId: ticket.id,
      from: ticket.status,
      to: input.status,
      agentReplied: true,
      now,
    });
    // The reply meets the response clocks; its status may pause or stop the resolution clock.
    if (await recomputeTicketSla(tx, ticket.id, now)) armed = true;
    await recordEvent(tx, {
      ticketId: ticket.id,
      agentId: input.agent.id,
      kind: "reply.queued",
      data: { messageId, status: input.status },
      now,
    });
    return messageId;
  });
  if (armed) wakeLoops("timers");
  return id;
}

/** Changes a ticket's status, with an audit event. */
export async function changeStatus(
  store: Store,
  ticketId: number,
  status: TicketStatus,
  agentId: number | null,
  now = Date.now(),
): Promise<void> {
  const armed = await store.writeTx(async (tx) => {
    const before = await updateTicketStatus(tx, ticketId, status, now);
    if (before === undefined) throw new NotFoundError("No such ticket");
    if (before !== status) {
      await recordEvent(tx, {
        ticketId,
        agentId,
        kind: "status.changed",
        data: { from: before, to: status },
        now,
      });
    }
    const reminders = await syncReminders(tx, { ticketId, from: before, to: status, now });
    return await recomputeTicketSla(tx, ticketId, now) || reminders;
  });
  if (armed) wakeLoops("timers");
}
