/**
 * Who owns a ticket: manual assignment (assign, unassign, 自分に割り当て), the replier taking an
 * unassigned ticket, and automatic assignment of new tickets per department (domain/assignment.ts).
 * Every change is a history event with its reason; a new assignee is notified in the app.
 */
import {
  assignmentCandidates,
  findAssignmentRule,
  lastAgentOfCustomer,
  updateRoundRobinLast,
  updateTicketAssignee,
} from "../db/assignment.ts";
import { type Agent, findAgent } from "../db/agents.ts";
import { findTicket } from "../db/tickets.ts";
import { insertNotifications } from "../db/notifications.ts";
import { chooseAssignee } from "../domain/assignment.ts";
import { NotFoundError, ValidationError } from "../domain/errors.ts";
import { assignmentAction, canSee } from "../domain/permissions.ts";
import type { OpContext } from "./context.ts";
import { afterTicketChange } from "./after_change.ts";
import { checkTicket, ticketFor } from "./access.ts";

export const ASSIGNEE_CHANGED = "assignee.changed";
export const TICKET_ASSIGNED = "ticket.assigned";

/** Assigns the ticket to an agent, or unassigns it (null). */
export async function assignTicket(
  ctx: OpContext,
  input: { ticketId: number; assigneeId: number | null },
): Promise<void> {
  const ticket = await ticketFor(ctx, input.ticketId, "ticket.view");
  if (ctx.actor.kind === "agent") {
    checkTicket(ctx.actor, assignmentAction(ctx.actor, ticket, input.assigneeId), ticket);
  }
  await assignTicketAs(ctx, input);
}

/**
 * Sets the assignee once the caller has checked the permission (a transfer may hand a ticket on
 * where plain assignment may not); the assignee must be an enabled agent who sees the ticket.
 * Returns that agent (null: unassigned).
 */
export async function assignTicketAs(
  ctx: OpContext,
  input: { ticketId: number; assigneeId: number | null; reason?: Record<string, unknown> },
): Promise<Agent | null> {
  const ticket = await findTicket(ctx.tx, input.ticketId);
  if (!ticket) throw new NotFoundError("No such ticket");
  let agent: Agent | null = null;
  if (input.assigneeId !== null) {
    agent = await findAgent(ctx.tx, input.assigneeId) ?? null;
    if (!agent || !canSee({ kind: "agent", ...agent }, ticket)) {
      throw new ValidationError("Cannot assign: no such agent", { assignee_id: "unknown" });
    }
  }
  await setAssignee(ctx, ticket.id, input.assigneeId, agent?.name ?? null, input.reason);
  return agent;
}

async function setAssignee(
  ctx: OpContext,
  ticketId: number,
  to: number | null,
  toName: string | null,
  reason?: Record<string, unknown>,
): Promise<void> {
  const from = await updateTicketAssignee(ctx.tx, ticketId, to, ctx.now);
  if (from === undefined || from === to) return;
  const data: Record<string, unknown> = { from, to, toName };
  if (reason) data.reason = reason;
  // A transfer sends its own notice, with the memo.
  const self = ctx.actor.kind === "agent" && ctx.actor.id === to;
  if (to !== null && !self && reason?.via !== "transfer") {
    await insertNotifications(ctx.tx, [to], {
      ticketId,
      kind: TICKET_ASSIGNED,
      data: reason ? { reason } : {},
      now: ctx.now,
    });
  }
  await afterTicketChange(ctx, { ticketId, event: { kind: ASSIGNEE_CHANGED, data } });
}

/** An agent replying to an unassigned ticket takes it. */
export async function assignReplier(
  ctx: OpContext,
  ticket: { id: number; assigneeId: number | null },
): Promise<void> {
  if (ctx.actor.kind !== "agent" || ticket.assigneeId !== null) return;
  await setAssignee(ctx, ticket.id, ctx.actor.id, ctx.actor.name, { via: "replied" });
}

/** A new ticket gets its department's automatic assignee, if the department has a rule. */
export async function autoAssign(
  ctx: OpContext,
  ticketId: number,
): Promise<void> {
  // Read now: after-hours routing may have moved the ticket since it was created.
  const ticket = await findTicket(ctx.tx, ticketId);
  if (!ticket) return;
  const rule = await findAssignmentRule(ctx.tx, ticket.departmentId);
  if (!rule || rule.mode === "manual") return;
  const preferredId = rule.preferLastAgent
    ? await lastAgentOfCustomer(ctx.tx, ticket.customerId, ticket.id)
    : null;
  const candidates = await assignmentCandidates(ctx.tx, ticket.departmentId);
  const choice = chooseAssignee({ ...rule, preferredId }, candidates, ctx.now);
  if (!choice) return;
  if (choice.via === "round_robin" || choice.via === "least_loaded") {
    await updateRoundRobinLast(ctx.tx, ticket.departmentId, choice.agentId);
  }
  const reason: Record<string, unknown> = { via: choice.via, name: choice.name };
  if (choice.nextName) reason.next = choice.nextName;
  await setAssignee(ctx, ticket.id, choice.agentId, choice.name, reason);
}
