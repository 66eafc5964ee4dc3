/**
 * Routing rules (自動振り分けルール): admins keep an ordered list (domain/routing_rules.ts decides
 * what applies); every new ticket, mail or form, runs through it inside its filing transaction,
 * before automatic assignment. A rule's assignee wins over the department's automatic
 * assignment; a rule's department brings that department's automatic assignment. Each applied
 * rule is a history event naming the rule and what it set.
 */
import {
  deleteRoutingRule,
  findRoutingRule,
  insertRoutingRule,
  listRoutingRules,
  reorderRoutingRules,
  type RoutingRuleFields,
  updateRoutingRule,
} from "../db/routing_rules.ts";
import { findAgentRecord } from "../db/agents.ts";
import { findDepartment, listDepartments } from "../db/departments.ts";
import { recordEvent } from "../db/events.ts";
import { listTags, ticketTags } from "../db/tags.ts";
import { findTicket } from "../db/tickets.ts";
import { isAvailable } from "../domain/assignment.ts";
import { NotFoundError, ValidationError } from "../domain/errors.ts";
import { canSee } from "../domain/permissions.ts";
import {
  decideRouting,
  hasConditions,
  type RoutingActions,
  type RoutingInput,
} from "../domain/routing_rules.ts";
import { requirePermission } from "./access.ts";
import { assignTicketAs, autoAssign } from "./assignment.ts";
import type { OpContext } from "./context.ts";
import { setTicketTags } from "./tags.ts";
import { changeDepartment, changePriority } from "./tickets.ts";

export const ROUTING_APPLIED = "routing.applied";

/** Checks a rule's fields: a name, a condition, an action, and actions that name what exists. */
async function checkRule(ctx: OpContext, f: RoutingRuleFields): Promise<void> {
  const fields: Record<string, string> = {};
  if (!f.name.trim() || f.name.length > 50) fields.name = "must be 1 to 50 characters";
  if (!hasConditions(f.conditions)) fields.conditions = "must hold at least one condition";
  const a = f.actions;
  if (
    a.departmentId === undefined && a.assigneeId === undefined && !a.tagIds?.length &&
    a.priority === undefined
  ) fields.actions = "must hold at least one action";
  if (a.departmentId !== undefined && !await findDepartment(ctx.tx, a.departmentId)) {
    fields.department_id = "unknown";
  }
  if (a.assigneeId !== undefined) {
    const agent = await findAgentRecord(ctx.tx, a.assigneeId);
    if (!agent || agent.disabled) fields.assignee_id = "unknown";
  }
  if (a.tagIds?.length) {
    const known = new Set((await listTags(ctx.tx)).map((t) => t.id));
    if (a.tagIds.some((id) => !known.has(id))) fields.tag_ids = "unknown";
  }
  if (Object.keys(fields).length) throw new ValidationError("The rule has invalid fields", fields);
}

/** Creates a rule (last in the order); returns its id. */
export async function createRule(ctx: OpContext, f: RoutingRuleFields): Promise<number> {
  requirePermission(ctx.actor, "departments.manage");
  await checkRule(ctx, f);
  return await insertRoutingRule(ctx.tx, { ...f, name: f.name.trim() }, ctx.now);
}

/** Changes a rule; fields left out stay. */
export async function changeRule(
  ctx: OpContext,
  input: { id: number } & Partial<RoutingRuleFields>,
): Promise<void> {
  requirePermission(ctx.actor, "departments.manage");
  const rule = await findRoutingRule(ctx.tx, input.id);
  if (!rule) throw new NotFoundError("No such rule");
  const merged: RoutingRuleFields = {
    name: input.name ?? rule.name,
    enabled: input.enabled ?? rule.enabled,
    conditions: input.conditions ?? rule.conditions,
    actions: input.actions ?? rule.actions,
  };
  await checkRule(ctx, merged);
  await updateRoutingRule(ctx.tx, input.id, { ...merged, name: merged.name.trim() }, ctx.now);
}

/** Moves a rule one place up or down. */
export async function moveRule(
  ctx: OpContext,
  input: { id: number; direction: "up" | "down" },
): Promise<void> {
  requirePermission(ctx.actor, "departments.manage");
  const ids = (await listRoutingRules(ctx.tx)).map((r) => r.id);
  const i = ids.indexOf(input.id);
  if (i < 0) throw new NotFoundError("No such rule");
  const j = input.direction === "up" ? i - 1 : i + 1;
  if (j < 0 || j >= ids.length) return;
  [ids[i], ids[j]] = [ids[j], ids[i]];
  await reorderRoutingRules(ctx.tx, ids);
}

/** Sets the whole order (ids first in that order; any left out keep their relative order after). */
export async function reorderRules(ctx: OpContext, ids: number[]): Promise<void> {
  requirePermission(ctx.actor, "departments.manage");
  const known = new Set((await listRoutingRules(ctx.tx)).map((r) => r.id));
  if (ids.some((id) => !known.has(id))) {
    throw new ValidationError("Unknown rules", { order: "unknown" });
  }
  await reorderRoutingRules(ctx.tx, ids);
}

/** Deletes a rule. */
export async function removeRule(ctx: OpContext, id: number): Promise<void> {
  requirePermission(ctx.actor, "departments.manage");
  if (!await deleteRoutingRule(ctx.tx, id)) throw new NotFoundError("No such rule");
}

/**
 * Runs the rules for a new ticket, then the department's automatic assignment unless a rule
 * assigned it. Actions naming what no longer exists (a deleted tag, a disabled agent) are
 * skipped and the history says so.
 */
export async function routeNewTicket(
  ctx: OpContext,
  input: { ticketId: number } & RoutingInput,
): Promise<void> {
  const rules = await listRoutingRules(ctx.tx);
  const decision = decideRouting(rules, input);
  let assigned = false;
  if (decision.applied.length) {
    const [departments, tags] = await Promise.all([listDepartments(ctx.tx), listTags(ctx.tx)]);
    for (const a of decision.applied) {
      const data: Record<string, unknown> = { rule: a.name, ruleId: a.ruleId };
      if (a.actions.departmentId !== undefined) {
        data.department = departments.find((d) => d.id === a.actions.departmentId)?.name ?? null;
      }
      if (a.actions.tagIds) {
        data.tags = tags.filter((t) => a.actions.tagIds!.includes(t.id)).map((t) => t.name);
      }
      if (a.actions.priority) data.priority = a.actions.priority;
      if (a.actions.assigneeId !== undefined) {
        data.assignee = (await findAgentRecord(ctx.tx, a.actions.assigneeId))?.name ?? null;
      }
      await recordEvent(ctx.tx, {
        ticketId: input.ticketId,
        agentId: ctx.actor.kind === "agent" ? ctx.actor.id : null,
        kind: ROUTING_APPLIED,
        data,
        now: ctx.now,
      });
    }
    assigned = await applyActions(ctx, input.ticketId, decision, {
      ruleOf: (key) => decision.applied.find((a) => a.actions[key] !== undefined)?.name ?? "",
      tagNames: tags.filter((t) => decision.tagIds.includes(t.id)).map((t) => t.name),
      departmentKnown: departments.some((d) => d.id === decision.departmentId),
    });
  }
  if (!assigned) await autoAssign(ctx, input.ticketId);
}

async function applyActions(
  ctx: OpContext,
  ticketId: number,
  decision: RoutingActions,
  o: {
    ruleOf: (key: keyof RoutingActions) => string;
    tagNames: string[];
    departmentKnown: boolean;
  },
): Promise<boolean> {
  if (decision.departmentId !== undefined && o.departmentKnown) {
    await changeDepartment(ctx, {
      ticketId,
      departmentId: decision.departmentId,
      reason: `rule:${o.ruleOf("departmentId")}`,
    });
  }
  if (decision.priority !== undefined) {
    await changePriority(ctx, { ticketId, priority: decision.priority });
  }
  if (o.tagNames.length) {
    const current = (await ticketTags(ctx.tx, ticketId)).map((t) => t.name);
    await setTicketTags(ctx, { ticketId, tags: [...current, ...o.tagNames] });
  }
  if (decision.assigneeId === undefined) return false;
  const agent = await findAgentRecord(ctx.tx, decision.assigneeId);
  const ticket = (await findTicket(ctx.tx, ticketId))!;
  const usable = agent && isAvailable({ ...agent, inDepartment: true, openTickets: 0 }, ctx.now) &&
    canSee(
      { kind: "agent", ...agent, departmentIds: agent.restricted ? agent.departmentIds : null },
      ticket,
    );
  if (!usable) {
    await recordEvent(ctx.tx, {
      ticketId,
      agentId: null,
      kind: ROUTING_APPLIED,
      data: { rule: o.ruleOf("assigneeId"), skipped: agent?.name ?? null },
      now: ctx.now,
    });
    return false;
  }
  await assignTicketAs(ctx, {
    ticketId,
    assigneeId: agent.id,
    reason: { via: "rule", rule: o.ruleOf("assigneeId"), name: agent.name },
  });
  return true;
}

/** Moves a rule to a 1-based place in the order (past the end: last). */
export async function placeRule(
  ctx: OpContext,
  input: { id: number; position: number },
): Promise<void> {
  requirePermission(ctx.actor, "departments.manage");
  const ids = (await listRoutingRules(ctx.tx)).map((r) => r.id);
  if (!ids.includes(input.id)) throw new NotFoundError("No such rule");
  const rest = ids.filter((x) => x !== input.id);
  rest.splice(Math.min(Math.max(input.position, 1) - 1, rest.length), 0, input.id);
  await reorderRoutingRules(ctx.tx, rest);
}
