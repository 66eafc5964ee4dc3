/**
 * The reminder series of a ticket waiting on the customer, as durable timers (rules in
 * domain/reminder_policy.ts). One timer is armed at a time: "reminder.send" for the next reminder,
 * then "reminder.final" for the return to 未対応 or auto-close. Entering 保留 (or an agent replying
 * again while it is) starts a new series; leaving 保留 — the customer answered, an agent changed
 * the status, a follow-up came due — cancels it. Handlers re-check the ticket and the department's
 * current policy when they fire, so a series outlived by a settings change does nothing harmful.
 */
import type { Tx } from "../db/client.ts";
import { cancelTimers, scheduleTimer, type Timer } from "../db/timers.ts";
import { findTicket, updateTicketStatus } from "../db/tickets.ts";
import { loadDepartmentSchedule } from "../db/schedules.ts";
import { loadReminderPolicy } from "../db/reminder_settings.ts";
import { recordEvent } from "../db/events.ts";
import {
  nextReminderStep,
  type ReminderStep,
  statusAfterFinalAction,
  stepDueAt,
} from "../domain/reminder_policy.ts";
import type { TicketStatus } from "../domain/ticket_status.ts";
import { queueReminderMail } from "../mail/reminder_mail.ts";
import type { OpContext } from "./context.ts";
import { afterTicketChange } from "./after_change.ts";

export const REMINDER_SEND = "reminder.send";
export const REMINDER_FINAL = "reminder.final";
const KINDS = [REMINDER_SEND, REMINDER_FINAL];

export interface StatusChange {
  ticketId: number;
  from: TicketStatus;
  to: TicketStatus;
  /** An agent wrote to the customer: a ticket already waiting starts waiting anew. */
  agentReplied?: boolean;
  now: number;
}

/**
 * Starts or ends a ticket's reminder series after its status changed, in the same transaction.
 * Returns true when it armed a timer (the caller nudges the scheduler after the commit).
 */
export async function syncReminders(tx: Tx, change: StatusChange): Promise<boolean> {
  const { ticketId, from, to, now } = change;
  if (to !== "pending") {
    if (from === "pending") await cancelTimers(tx, ticketId, KINDS);
    return false;
  }
  if (from === "pending" && !change.agentReplied) return false;
  await cancelTimers(tx, ticketId, KINDS);
  const ticket = await findTicket(tx, ticketId);
  if (!ticket) return false;
  const policy = await loadReminderPolicy(tx, ticket.departmentId);
  return await armStep(tx, ticket.id, ticket.departmentId, nextReminderStep(policy, 0), now);
}

async function armStep(
  tx: Tx,
  ticketId: number,
  departmentId: number,
  step: ReminderStep,
  now: number,
): Promise<boolean> {
  if (!step) return false;
  const schedule = await loadDepartmentSchedule(tx, departmentId);
  await scheduleTimer(tx, {
    kind: step.kind === "remind" ? REMINDER_SEND : REMINDER_FINAL,
    ticketId,
    dueAt: stepDueAt(schedule, step, now),
    data: step.kind === "remind" ? { count: step.number } : { action: step.action },
    rearm: true,
    now,
  });
  return true;
}

/** "reminder.send": the next reminder of the wait, then the step after it. */
export async function sendReminder(ctx: OpContext, timer: Timer): Promise<void> {
  const { tx, now } = ctx;
  const ticket = timer.ticketId === null ? undefined : await findTicket(tx, timer.ticketId);
  if (ticket?.status !== "pending") return;
  const policy = await loadReminderPolicy(tx, ticket.departmentId);
  const count = Number(timer.data.count) || 1;
  const step = nextReminderStep(policy, count - 1);
  let sent = count - 1;
  if (step?.kind === "remind") {
    const messageId = await queueReminderMail(tx, ctx.sender, { ticket, policy, count, now });
    await recordEvent(tx, {
      ticketId: ticket.id,
      agentId: null,
      kind: "reminder.sent",
      data: { count, messageId },
      now,
    });
    ctx.wake("outbox");
    sent = count;
  }
  if (await armStep(tx, ticket.id, ticket.departmentId, nextReminderStep(policy, sent), now)) {
    ctx.wake("timers");
  }
}

/** "reminder.final": the wait is over — back to 未対応 or closed, as the policy says. */
export async function finishWait(ctx: OpContext, timer: Timer): Promise<void> {
  const { tx, now } = ctx;
  const ticket = timer.ticketId === null ? undefined : await findTicket(tx, timer.ticketId);
  if (ticket?.status !== "pending") return;
  const policy = await loadReminderPolicy(tx, ticket.departmentId);
  if (!policy.enabled || policy.finalAction === "none") return;
  const to = statusAfterFinalAction(policy.finalAction);
  await updateTicketStatus(tx, ticket.id, to, now);
  // Leaving 保留 ends the series and resumes (未対応) or stops (対応完了) the SLA clock.
  await afterTicketChange(ctx, {
    ticketId: ticket.id,
    status: { from: "pending", to },
    event: {
      kind: "status.changed",
      data: { from: "pending", to, reason: `reminder.${policy.finalAction}` },
    },
  });
}
