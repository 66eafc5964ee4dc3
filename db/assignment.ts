/** Ticket assignees and what automatic assignment reads: department rules, candidates, load. */
import type { Db, Tx } from "./client.ts";
import type { AssignmentRule, Candidate } from "../domain/assignment.ts";
import { isAssignmentMode } from "../domain/assignment.ts";

type Executor = Db | Tx;

/** Statuses whose tickets count as an agent's load. */
const OPEN_STATUSES = ["new", "open", "pending"];

/** Sets (or clears) a ticket's assignee; returns the previous one, or undefined: no such ticket. */
export async function updateTicketAssignee(
  tx: Tx,
  ticketId: number,
  assigneeId: number | null,
  now: number,
): Promise<number | null | undefined> {
  const before = await tx.selectFrom("tickets").select("assignee_id").where("id", "=", ticketId)
    .executeTakeFirst();
  if (!before) return undefined;
  if (before.assignee_id !== assigneeId) {
    await tx.updateTable("tickets").set({ assignee_id: assigneeId, updated_at: now })
      .where("id", "=", ticketId).execute();
  }
  return before.assignee_id;
}

/** A department's automatic-assignment settings (without the customer preference). */
export async function findAssignmentRule(
  db: Executor,
  departmentId: number,
): Promise<(Omit<AssignmentRule, "preferredId"> & { preferLastAgent: boolean }) | undefined> {
  const row = await db.selectFrom("departments")
    .select(["assignment", "first_receiver_id", "round_robin_last", "prefer_last_agent"])
    .where("id", "=", departmentId).executeTakeFirst();
  if (!row) return undefined;
  return {
    mode: isAssignmentMode(row.assignment) ? row.assignment : "manual",
    firstReceiverId: row.first_receiver_id,
    roundRobinLast: row.round_robin_last,
    preferLastAgent: row.prefer_last_agent === 1,
  };
}

/** Saves a department's automatic-assignment settings. */
export async function updateAssignmentRule(
  tx: Tx,
  departmentId: number,
  rule: { mode: string; firstReceiverId: number | null; preferLastAgent: boolean },
): Promise<void> {
  await tx.updateTable("departments").set({
    assignment: rule.mode,
    first_receiver_id: rule.firstReceiverId,
    prefer_last_agent: rule.preferLastAgent ? 1 : 0,
  }).where("id", "=", departmentId).execute();
}

/** Remembers who round-robin chose last in a department. */
export async function updateRoundRobinLast(
  tx: Tx,
  departmentId: number,
  agentId: number,
): Promise<void> {
  await tx.updateTable("departments").set({ round_robin_last: agentId })
    .where("id", "=", departmentId).execute();
}

/** The department's members with presence and their open tickets (a count per index seek). */
export async function assignmentCandidates(
  db: Executor,
  departmentId: number,
): Promise<Candidate[]> {
  const rows = await db.selectFrom("agent_departments")
    .innerJoin("agents", "agents.id", "agent_departments.agent_id")
    .select([
      "agents.id",
      "agents.name",
      "agents.disabled",
      "agents.absent",
      "agents.absent_until as absentUntil",
    ])
    .select((eb) =>
      eb.selectFrom("tickets").select(eb.fn.countAll<number>().as("n"))
        .whereRef("tickets.assignee_id", "=", "agents.id")
        .where("tickets.status", "in", OPEN_STATUSES).as("openTickets")
    )
    .where("agent_departments.department_id", "=", departmentId).orderBy("agents.id").execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    disabled: r.disabled === 1,
    absent: r.absent === 1,
    absentUntil: r.absentUntil,
    inDepartment: true,
    openTickets: Number(r.openTickets ?? 0),
  }));
}

/** The assignee of the customer's latest other assigned ticket, or null. */
export async function lastAgentOfCustomer(
  db: Executor,
  customerId: number,
  exceptTicketId: number,
): Promise<number | null> {
  const row = await db.selectFrom("tickets").select("assignee_id")
    .where("customer_id", "=", customerId).where("id", "!=", exceptTicketId)
    .where("assignee_id", "is not", null).orderBy("last_message_at", "desc").limit(1)
    .executeTakeFirst();
  return row?.assignee_id ?? null;
}
