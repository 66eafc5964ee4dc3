/**
 * What happens when an SLA threshold is reached: the "sla.warning" and "sla.breach" timers armed
 * by db/sla.ts; loops/timer_handlers.ts registers them. Each fires once per ticket, metric and threshold (the scheduler claims it in the
 * same transaction as these effects), then runs the actions the ticket's policy configures:
 * notify (in app, and by mail), raise the priority, move to another department.
 *
 * Notifications reached outside business hours wait for the next opening when the policy says
 * "business hours only": the handler arms an "sla.notify" timer at `nextOpening` instead of
 * mailing people at midnight or on a Sunday (Zammad #4432, glpi PR #22678). Data changes
 * (priority, department) happen at once — they wake nobody.
 */
import type { Tx } from "../db/client.ts";
import type { Sender } from "../mail/sender.ts";
import { recordEvent } from "../db/events.ts";
import { scheduleTimer, type Timer } from "../db/timers.ts";
import { recomputeTicketSla, recomputeTicketState } from "../db/sla.ts";
import { findSlaPolicy } from "../db/sla_policies.ts";
import { loadDepartmentSchedule } from "../db/schedules.ts";
import { insertNotifications } from "../db/notifications.ts";
import { escalationRecipients, findEscalationTicket } from "../db/escalations.ts";
import { isOpen, nextOpening } from "../domain/business_time.ts";
import { raisePriority } from "../domain/priority.ts";
import type { Schedule } from "../domain/schedule.ts";
import { SLA_METRICS, type SlaLevel, type SlaMetric } from "../domain/sla.ts";
import type { EscalationAction, NotifyTarget } from "../domain/sla_policy.ts";
import { queueEscalationMail } from "../mail/escalation_mail.ts";
import type { OpContext } from "./context.ts";
import { changeDepartment, changePriority } from "./tickets.ts";

export const SLA_WARNING = "sla.warning";
export const SLA_BREACH = "sla.breach";
export const SLA_NOTIFY = "sla.notify";

/** A threshold reached within this long after it was due still counts as "during hours". */
const PROMPT_MS = 5 * 60_000;

/** "sla.warning" / "sla.breach": a threshold of one clock was reached. */
export async function thresholdReached(
  ctx: OpContext,
  timer: Timer,
  level: SlaLevel,
): Promise<void> {
  const { tx, now, sender: mail } = ctx;
  const metric = timer.data.metric as SlaMetric;
  if (timer.ticketId === null || !SLA_METRICS.includes(metric)) return;
  // Bring the clocks up to date first: a change made without a recompute must not escalate a
  // ticket that was answered, paused or resolved meanwhile.
  const { state } = await recomputeTicketState(tx, timer.ticketId, now);
  const clock = state?.clocks.find((c) => c.metric === metric);
  const ticket = await findEscalationTicket(tx, timer.ticketId);
  if (!ticket || !clock || clock.dueAt === null || clock.warnAt === null) return;
  const { dueAt } = clock;
  // A warning reached only once the deadline has passed too: the breach speaks for both.
  if (level === "warning" && dueAt <= now) return;
  const threshold = level === "warning" ? clock.warnAt : dueAt;
  if (threshold > now) {
    // The threshold moved later without its timer (a write that skipped the recompute): wait.
    await scheduleTimer(tx, { ...timer, dueAt: threshold, rearm: true, now });
    return;
  }
  const policy = await findSlaPolicy(tx, ticket.departmentId, ticket.priority);
  await recordEvent(tx, {
    ticketId: ticket.id,
    agentId: null,
    kind: `sla.${level}`,
    data: { metric, dueAt },
    now,
  });
  if (!policy) return;
  const actions = policy.actions[level];
  const notify = actions.filter((a) => a.kind === "notify");
  if (notify.length > 0) {
    const schedule = await loadDepartmentSchedule(tx, ticket.departmentId);
    const opening = policy.businessHoursOnly && !duringHours(schedule, timer.dueAt, now)
      ? nextOpening(schedule!, now)
      : null;
    const payload = { metric, level, dueAt, actions: notify };
    if (opening !== null) {
      // rearm: a later next-response cycle may breach again and defer its own notice.
      await scheduleTimer(tx, {
        kind: SLA_NOTIFY,
        ticketId: ticket.id,
        key: `${metric}:${level}`,
        dueAt: opening,
        data: payload,
        rearm: true,
        now,
      });
    } else if (await deliver(tx, mail, ticket.id, payload, now)) {
      ctx.wake("outbox");
    }
  }
  // Each recomputes the SLA under the new policy; this metric's fired timers stay fired.
  for (const action of actions) {
    if (action.kind === "raise_priority") {
      const priority = raisePriority(ticket.priority);
      await changePriority(ctx, { ticketId: ticket.id, priority });
    } else if (action.kind === "move_department") {
      // A department deleted since the policy was written is skipped, not an error.
      if (await departmentExists(tx, action.departmentId)) {
        await changeDepartment(ctx, { ticketId: ticket.id, departmentId: action.departmentId });
      }
    }
  }
}

/** Open now, or the threshold fell inside business hours (or on closing time) moments ago. */
function duringHours(schedule: Schedule | null, thresholdAt: number, now: number): boolean {
  if (!schedule || isOpen(schedule, now)) return true;
  // A business-time deadline can land exactly on closing time; the timer fires just after.
  return now - thresholdAt <= PROMPT_MS && isOpen(schedule, thresholdAt - 1);
}

interface NotifyPayload {
  metric: SlaMetric;
  level: SlaLevel;
  dueAt: number;
  actions: EscalationAction[];
}

async function departmentExists(tx: Tx, id: number): Promise<boolean> {
  return !!await tx.selectFrom("departments").select("id").where("id", "=", id)
    .executeTakeFirst();
}

/** "sla.notify": a notice deferred to the next opening is due. */
export async function deferredNotify(ctx: OpContext, timer: Timer): Promise<void> {
  const { tx, now, sender: mail } = ctx;
  if (timer.ticketId === null) return;
  const payload = timer.data as unknown as NotifyPayload;
  if (payload.level === "warning") {
    // A warning is only useful while the clock still runs; a breach is news either way.
    await recomputeTicketSla(tx, timer.ticketId, now);
    const ticket = await findEscalationTicket(tx, timer.ticketId);
    if (!ticket || ticket.dueAt[payload.metric] === null) return;
  }
  if (await deliver(tx, mail, timer.ticketId, payload, now)) ctx.wake("outbox");
}

/** Notifies in the app and by mail; true when mail was queued. */
async function deliver(
  tx: Tx,
  mail: Sender,
  ticketId: number,
  payload: NotifyPayload,
  now: number,
): Promise<boolean> {
  const ticket = await findEscalationTicket(tx, ticketId);
  if (!ticket) return false;
  const notify = payload.actions.flatMap((a) => a.kind === "notify" ? [a] : []);
  const inApp = await escalationRecipients(tx, ticket, notify.map((a) => a.to));
  const byMail = await escalationRecipients(
    tx,
    ticket,
    notify.filter((a) => a.mail).map((a) => a.to as NotifyTarget),
  );
  const data = { metric: payload.metric, dueAt: payload.dueAt };
  await insertNotifications(tx, inApp.map((a) => a.id), {
    ticketId,
    kind: `sla.${payload.level}`,
    data,
    now,
  });
  if (byMail.length > 0) {
    await queueEscalationMail(
      tx,
      mail,
      {
        ticket,
        metric: payload.metric,
        level: payload.level,
        dueAt: payload.dueAt,
        departmentName: ticket.departmentName,
        priority: ticket.priority,
      },
      byMail,
      now,
    );
  }
  return byMail.length > 0;
}
