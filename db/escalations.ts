/** What an SLA escalation reads: the ticket as it stands, and the agents it reaches. */
import type { Tx } from "./client.ts";
import { findDepartmentSettings } from "./departments.ts";
import { isPriority, type Priority } from "../domain/priority.ts";
import type { SlaMetric } from "../domain/sla.ts";
import type { NotifyTarget } from "../domain/sla_policy.ts";

export interface EscalationTicket {
  id: number;
  number: number;
  subject: string;
  priority: Priority;
  departmentId: number;
  departmentName: string;
  /** Each metric's stored due instant; null when that clock does not run. */
  dueAt: Record<SlaMetric, number | null>;
}

export interface EscalationRecipient {
  id: number;
  email: string;
  name: string;
  locale: string;
  timeZone: string | null;
}

/** The ticket with its department and stored due times, or null. */
export async function findEscalationTicket(
  tx: Tx,
  ticketId: number,
): Promise<EscalationTicket | null> {
  const row = await tx.selectFrom("tickets")
    .innerJoin("departments", "departments.id", "tickets.department_id")
    .select([
      "tickets.id",
      "tickets.number",
      "tickets.subject",
      "tickets.priority",
      "tickets.department_id",
      "departments.name as departmentName",
      "tickets.first_response_due_at",
      "tickets.next_response_due_at",
      "tickets.resolution_due_at",
    ])
    .where("tickets.id", "=", ticketId).executeTakeFirst();
  if (!row) return null;
  return {
    id: row.id,
    number: row.number,
    subject: row.subject,
    priority: isPriority(row.priority) ? row.priority : "normal",
    departmentId: row.department_id,
    departmentName: row.departmentName,
    dueAt: {
      first_response: row.first_response_due_at,
      next_response: row.next_response_due_at,
      resolution: row.resolution_due_at,
    },
  };
}

/**
 * The enabled agents behind some notify targets, each once: "assignee" is the ticket's assignee,
 * or when it has none the agent who last replied on it (nobody when no agent has replied),
 * "supervisors" the admins, "department" the department's notified agents (all when none chosen).
 */
export async function escalationRecipients(
  tx: Tx,
  ticket: { id: number; departmentId: number },
  targets: NotifyTarget[],
): Promise<EscalationRecipient[]> {
  const ids = new Set<number>();
  let everyone = false;
  for (const target of new Set(targets)) {
    if (target === "assignee") {
      const owner = await tx.selectFrom("tickets").select("assignee_id")
        .where("id", "=", ticket.id).executeTakeFirst();
      if (owner?.assignee_id != null) {
        ids.add(owner.assignee_id);
        continue;
      }
      const last = await tx.selectFrom("messages").select("agent_id")
        .where("ticket_id", "=", ticket.id).where("direction", "=", "out")
        .where("agent_id", "is not", null).orderBy("id", "desc").limit(1).executeTakeFirst();
      if (last?.agent_id != null) ids.add(last.agent_id);
    } else if (target === "supervisors") {
      const admins = await tx.selectFrom("agents").select("id").where("role", "=", "admin")
        .execute();
      for (const a of admins) ids.add(a.id);
    } else {
      const { notifyAgentIds } = await findDepartmentSettings(tx, ticket.departmentId);
      if (notifyAgentIds.length === 0) everyone = true;
      for (const id of notifyAgentIds) ids.add(id);
    }
  }
  if (!everyone && ids.size === 0) return [];
  let q = tx.selectFrom("agents")
    .select(["id", "email", "name", "locale", "time_zone as timeZone"])
    .where("disabled", "=", 0);
  if (!everyone) q = q.where("id", "in", [...ids]);
  return await q.orderBy("id").execute();
}
