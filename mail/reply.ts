/**
 * An agent's reply: compose the mail, record it on the ticket, queue it in the outbox and set the
 * ticket's status — all in one transaction, so a reply is either fully queued or not at all.
 */
import type { Config } from "../config.ts";
import type { Store } from "../db/client.ts";
import { findTicket, updateTicketStatus } from "../db/tickets.ts";
import { lastInboundMessage } from "../db/messages.ts";
import { recordEvent } from "../db/events.ts";
import { NotFoundError, ValidationError } from "../domain/errors.ts";
import type { TicketStatus } from "../domain/ticket_status.ts";
import type { OutboundCharset } from "./compose.ts";
import { customerLinkFooter } from "./customer_link.ts";
import { queueThreadedMail } from "./outbound_record.ts";
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

/** The reply settings from the configuration. */
export function replySettings(config: Config): ReplySettings {
  return {
    supportAddress: config.supportAddress,
    fromName: config.fromName,
    subjectTagPrefix: config.subjectTagPrefix,
    relayConfigured: config.smtpRelayUrl !== null,
    outboundCharset: config.outboundCharset,
    publicUrl: config.publicUrl,
  };
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
    const messageId = await queueThreadedMail(tx, settings, {
      ticket,
      last,
      subject: ticket.subject,
      text: footer ? `${text}\n\n-- \n${footer}` : text,
      shownText: text,
      agent: input.agent,
      now,
    });
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
