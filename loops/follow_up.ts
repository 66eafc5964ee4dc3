/**
 * Follow-up dates: an agent asks to see a ticket again at an instant; a durable "followup.due"
 * timer brings it back to 未対応 then, with an audit event. The timer is the only record of the
 * date — an armed one is the ticket's follow-up, clearing it removes the timer.
 */
import type { Db, Store, Tx } from "../db/client.ts";
import { cancelTimers, listTicketTimers, scheduleTimer, type Timer } from "../db/timers.ts";
import { findTicket, updateTicketStatus } from "../db/tickets.ts";
import { recordEvent } from "../db/events.ts";
import { recomputeTicketSla } from "../db/sla.ts";
import { NotFoundError } from "../domain/errors.ts";
import { statusAfterFollowUp } from "../domain/follow_up.ts";
import { syncReminders } from "./reminders.ts";
import { wakeLoops } from "./wakeups.ts";

export const FOLLOW_UP_DUE = "followup.due";

/** Sets (an instant) or clears (null) a ticket's follow-up date, with an audit event. */
export async function setFollowUp(
  store: Store,
  input: { ticketId: number; dueAt: number | null; agentId: number | null; now?: number },
): Promise<void> {
  const now = input.now ?? Date.now();
  await store.writeTx(async (tx) => {
    if (!await findTicket(tx, input.ticketId)) throw new NotFoundError("No such ticket");
    if (input.dueAt === null) {
      await cancelTimers(tx, input.ticketId, [FOLLOW_UP_DUE]);
    } else {
      await scheduleTimer(tx, {
        kind: FOLLOW_UP_DUE,
        ticketId: input.ticketId,
        dueAt: input.dueAt,
        rearm: true,
        now,
      });
    }
    await recordEvent(tx, {
      ticketId: input.ticketId,
      agentId: input.agentId,
      kind: input.dueAt === null ? "followup.cleared" : "followup.set",
      data: input.dueAt === null ? {} : { dueAt: input.dueAt },
      now,
    });
  });
  wakeLoops("timers");
}

/** The ticket's pending follow-up instant, or null. */
export async function findFollowUp(db: Db, ticketId: number): Promise<number | null> {
  const timers = await listTicketTimers(db, ticketId);
  return timers.find((t) => t.kind === FOLLOW_UP_DUE && t.firedAt === null)?.dueAt ?? null;
}

/** The "followup.due" handler: the ticket needs attention again. */
export async function followUpDue(tx: Tx, timer: Timer, now: number): Promise<void> {
  const ticket = timer.ticketId === null ? undefined : await findTicket(tx, timer.ticketId);
  if (!ticket) return;
  const to = statusAfterFollowUp(ticket.status);
  if (to !== ticket.status) {
    await updateTicketStatus(tx, ticket.id, to, now);
    await syncReminders(tx, { ticketId: ticket.id, from: ticket.status, to, now });
    await recomputeTicketSla(tx, ticket.id, now);
  }
  await recordEvent(tx, {
    ticketId: ticket.id,
    agentId: null,
    kind: "followup.due",
    data: { from: ticket.status, to, dueAt: timer.dueAt },
    now,
  });
}
