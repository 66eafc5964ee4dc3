/**
 * Who may do what: one matrix of role × action, read by the services (which enforce it) and by
 * routes and pages (which hide what a role may not do). Pure: the caller passes the actor and,
 * for ticket actions, the ticket's department and assignee.
 *
 * - admin: everything;
 * - supervisor: handles tickets, reassigns anyone's, shares views and templates, sees reports;
 * - agent: handles tickets; may take an unassigned ticket or give up their own.
 *
 * An agent restricted to their departments (any role but admin) sees no ticket of another
 * department: such a ticket answers 404, as if it did not exist.
 */

export const ROLES = ["admin", "supervisor", "agent"] as const;
export type Role = typeof ROLES[number];

export function isRole(s: unknown): s is Role {
  return typeof s === "string" && (ROLES as readonly string[]).includes(s);
}

export const ACTIONS = [
  "ticket.view",
  "ticket.reply",
  "ticket.update",
  "ticket.note",
  "ticket.tag",
  "ticket.transfer",
  /** Take an unassigned ticket, or give up one's own. */
  "ticket.take",
  /** Assign to anyone, take from anyone. */
  "ticket.reassign",
  "views.share",
  "reports.view",
  "tags.manage",
  "agents.manage",
  "departments.manage",
  "admin.settings",
] as const;
export type Action = typeof ACTIONS[number];

const BY_ROLE: Record<Role, ReadonlySet<Action>> = {
  admin: new Set(ACTIONS),
  supervisor: new Set<Action>([
    "ticket.view",
    "ticket.reply",
    "ticket.update",
    "ticket.note",
    "ticket.tag",
    "ticket.transfer",
    "ticket.take",
    "ticket.reassign",
    "views.share",
    "reports.view",
  ]),
  agent: new Set<Action>([
    "ticket.view",
    "ticket.reply",
    "ticket.update",
    "ticket.note",
    "ticket.tag",
    "ticket.transfer",
    "ticket.take",
  ]),
};

/** Who asks: an agent (with their role and, when restricted, their departments) or Madoguchi. */
export type PermissionActor =
  | {
    kind: "agent";
    id: number;
    role: string;
    /** The departments a restricted agent sees; null or absent: every department. */
    departmentIds?: readonly number[] | null;
  }
  | { kind: "customer" }
  | { kind: "system" };

/** The facts of a ticket the matrix needs. */
export interface TicketFacts {
  departmentId: number;
  assigneeId: number | null;
}

/** Whether the actor sees the ticket at all (restricted agents: only their departments). */
export function canSee(actor: PermissionActor, ticket: TicketFacts): boolean {
  if (actor.kind !== "agent") return actor.kind === "system";
  if (actor.role === "admin" || !actor.departmentIds) return true;
  return actor.departmentIds.includes(ticket.departmentId);
}

/**
 * Whether the actor may perform `action` (on `ticket`, for ticket actions). The system may do
 * everything; a customer acts only through their own operations, which do not ask here.
 */
export function can(actor: PermissionActor, action: Action, ticket?: TicketFacts): boolean {
  if (actor.kind === "system") return true;
  if (actor.kind !== "agent") return false;
  if (!isRole(actor.role) || !BY_ROLE[actor.role].has(action)) return false;
  if (ticket && !canSee(actor, ticket)) return false;
  if (action === "ticket.take" && ticket && actor.role === "agent") {
    return ticket.assigneeId === null || ticket.assigneeId === actor.id;
  }
  return true;
}

/** The action an assignment needs: taking/releasing one's own or an unassigned ticket, or more. */
export function assignmentAction(
  actor: { id: number },
  ticket: TicketFacts,
  to: number | null,
): Action {
  const mine = ticket.assigneeId === null || ticket.assigneeId === actor.id;
  return mine && (to === actor.id || to === null) ? "ticket.take" : "ticket.reassign";
}
