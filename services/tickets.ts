/**
 * What an agent (or a rule) changes on a ticket besides writing to the customer: status,
 * priority, department and follow-up date. Each operation writes its field and ends in
 * `afterTicketChange` (services/after_change.ts), which keeps reminders, SLA clocks, the audit
 * trail and the loops in step.
 */
import { findTicket, updateTicketStatus } from "../db/tickets.ts";
import { updateTicketDepartment, updateTicketPriority } from "../db/ticket_routing.ts";
import { cancelTimers, listTicketTimers, scheduleTimer, type Timer } from "../db/timers.ts";
import type { Db } from "../db/client.ts";
import { NotFoundError, ValidationError } from "../domain/errors.ts";
import { statusAfterFollowUp } from "../domain/follow_up.ts";
import type { Priority } from "../domain/priority.ts";
import type { TicketStatus } from "../domain/ticket_status.ts";
import type { OpContext } from "./context.ts";
import { afterTicketChange } from "./after_change.ts";
import { ticketFor } from "./access.ts";

export const FOLLOW_UP_DUE = "followup.due";

/** Changes a ticket's status; an unchanged status records no event. */
export async function changeStatus(
  ctx: OpContext,
  input: { ticketId: number; status: TicketStatus; reason?: string },
): Promise<void> {
  if (ctx.actor.kind === "agent") await ticketFor(ctx, input.ticketId, "ticket.update");
  const from = await updateTicketStatus(ctx.tx, input.ticketId, input.status, ctx.now);
  if (from === undefined) throw new NotFoundError("No such ticket");
  const to = input.status;
  await afterTicketChange(ctx, {
    ticketId: input.ticketId,
    status: { from, to },
    event: from === to ? null : {
      kind: "status.changed",
      data: input.reason ? { from, to, reason: input.reason } : { from, to },
    },
  });
}

/** Changes a ticket's priority (it picks the SLA policy). */
export async function changePriority(
  ctx: OpContext,
  input: { ticketId: number; priority: Priority },
): Promise<void> {
  if (ctx.actor.kind === "agent") await ticketFor(ctx, input.ticketId, "ticket.update");
  const from = await updateTicketPriority(ctx.tx, input.ticketId, input.priority, ctx.now);
  if (from === undefined) throw new NotFoundError("No such ticket");
  if (from === input.priority) return;
  await afterTicketChange(ctx, {
    ticketId: input.ticketId,
    event: { kind: "priority.changed", data: { from, to: input.priority } },
  });
}

/** Moves a ticket to another department (its SLA policy and schedule follow). */
export async function changeDepartment(
  ctx: OpContext,
  input: { ticketId: number; departmentId: number; reason?: string },
): Promise<void> {
  await ticketFor(ctx, input.ticketId, "ticket.update");
  const from = await updateTicketDepartment(
    ctx.tx,
    input.ticketId,
    input.departmentId,
    ctx.now,
  );
  if (from === undefined) {
    throw new ValidationError("Cannot move ticket: no such department", {
      department_id: "unknown",
    });
  }
  if (from === input.departmentId) return;
  const data: Record<string, unknown> = { from, to: input.departmentId };
  if (input.reason) data.reason = input.reason;
  await afterTicketChange(ctx, {
    ticketId: input.ticketId,
    event: { kind: "department.changed", data },
  });
}

/** Sets (an instant) or clears (null) a ticket's follow-up date. */
export async function setFollowUp(
  ctx: OpContext,
  input: { ticketId: number; dueAt: number | null },
): Promise<void> {
  const { tx, now } = ctx;
  await ticketFor(ctx, input.ticketId, "ticket.update");
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
    ctx.wake("timers");
  }
  await afterTicketChange(ctx, {
    ticketId: input.ticketId,
    event: input.dueAt === null
      ? { kind: "followup.cleared" }
      : { kind: "followup.set", data: { dueAt: input.dueAt } },
  });
}

/** "followup.due": the follow-up date came; a waiting or closed ticket needs attention again. */
export async function followUpCameDue(ctx: OpContext, timer: Timer): Promise<void> {
  const ticket = timer.ticketId === null ? undefined : await findTicket(ctx.tx, timer.ticketId);
  if (!ticket) return;
  const to = statusAfterFollowUp(ticket.status);
  if (to !== ticket.status) await updateTicketStatus(ctx.tx, ticket.id, to, ctx.now);
  await afterTicketChange(ctx, {
    ticketId: ticket.id,
    status: { from: ticket.status, to },
    event: { kind: "followup.due", data: { from: ticket.status, to, dueAt: timer.dueAt } },
  });
}

/** The ticket's pending follow-up instant, or null. */
export async function findFollowUp(db: Db, ticketId: number): Promise<number | null> {
  const timers = await listTicketTimers(db, ticketId);
  return timers.find((t) => t.kind === FOLLOW_UP_DUE && t.firedAt === null)?.dueAt ?? null;
}
