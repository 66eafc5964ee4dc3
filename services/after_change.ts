/**
 * The one step every ticket change ends in. Whatever changed — a mail filed, a reply queued, a
 * status, priority or department changed, a timer fired — the same things follow, in the same
 * transaction and in the same order:
 *
 * 1. reminders: entering 保留 starts a reminder series, leaving it ends the series;
 * 2. notices: a customer's message notifies the agents who should answer it;
 * 3. SLA: the ticket's due times and escalation timers are recomputed;
 * 4. the audit event, with the actor;
 * 5. wake-ups after the commit: the scheduler when a timer was armed, the outbox when mail was
 *    queued; and a change notice for live pages (services/live.ts).
 *
 * Reading this function tells what any change does besides its own write.
 */
import { recordEvent } from "../db/events.ts";
import { type KnownFacts, recomputeTicketSla } from "../db/sla.ts";
import type { AutoKind } from "../domain/inbound_message.ts";
import type { TicketStatus } from "../domain/ticket_status.ts";
import { actorAgentId, type OpContext } from "./context.ts";
import { syncReminders } from "./reminders.ts";
import { notifyCustomerReply } from "./notices.ts";

export interface TicketChange {
  ticketId: number;
  /** The audit event; null when the operation records none (nothing changed). */
  event: { kind: string; data?: Record<string, unknown> } | null;
  /** The status before and after (the same when it did not change). */
  status?: { from: TicketStatus; to: TicketStatus; agentReplied?: boolean };
  /** A customer's message arrived (by mail or from their page): someone should answer it. */
  customerMessage?: {
    departmentId: number;
    messageId: number;
    from: string;
    autoKind: AutoKind;
    via: "web" | "mail";
  };
  /** Facts the caller already read in this transaction (schedules), to spare the SLA a read. */
  known?: KnownFacts;
  /** Mail was queued in the outbox. */
  mailQueued?: boolean;
  /**
   * Old mail moved in (an import): no SLA clock or reminder is started or changed for it — its
   * deadlines passed long ago and would only raise a flood of breaches.
   */
  imported?: boolean;
}

/** Runs the follow-ups of a ticket change inside the operation's transaction. */
export async function afterTicketChange(ctx: OpContext, change: TicketChange): Promise<void> {
  const { tx, now } = ctx;
  const { ticketId } = change;
  if (
    change.status && !change.imported &&
    await syncReminders(tx, { ticketId, ...change.status, now })
  ) {
    ctx.wake("timers");
  }
  if (change.customerMessage) {
    await notifyCustomerReply(tx, { ticketId, ...change.customerMessage, now });
  }
  if (!change.imported && await recomputeTicketSla(tx, ticketId, now, change.known)) {
    ctx.wake("timers");
  }
  if (change.event) {
    await recordEvent(tx, {
      ticketId,
      agentId: actorAgentId(ctx.actor),
      kind: change.event.kind,
      data: change.event.data ?? {},
      now,
    });
  }
  if (change.mailQueued) ctx.wake("outbox");
  ctx.notify({ ticketId });
}
