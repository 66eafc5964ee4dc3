/**
 * A ticket's priority and department: the two fields (besides status) that pick its SLA policy.
 * Plain writes; services/tickets.ts records the change and recomputes the SLA.
 */
import type { Tx } from "./client.ts";
import { isPriority, type Priority } from "../domain/priority.ts";

/** Sets a ticket's priority; returns the previous one (undefined: no such ticket). */
export async function updateTicketPriority(
  tx: Tx,
  ticketId: number,
  priority: Priority,
  now: number,
): Promise<Priority | undefined> {
  const row = await tx.selectFrom("tickets").select("priority").where("id", "=", ticketId)
    .executeTakeFirst();
  if (!row) return undefined;
  const before = isPriority(row.priority) ? row.priority : "normal";
  if (before !== priority) {
    await tx.updateTable("tickets").set({ priority, updated_at: now }).where("id", "=", ticketId)
      .execute();
  }
  return before;
}

/**
 * Moves a ticket to another department; returns the previous department's id, or undefined when
 * the ticket or the department does not exist.
 */
export async function updateTicketDepartment(
  tx: Tx,
  ticketId: number,
  departmentId: number,
  now: number,
): Promise<number | undefined> {
  const row = await tx.selectFrom("tickets").select("department_id").where("id", "=", ticketId)
    .executeTakeFirst();
  const target = await tx.selectFrom("departments").select("id").where("id", "=", departmentId)
    .executeTakeFirst();
  if (!row || !target) return undefined;
  if (row.department_id !== departmentId) {
    await tx.updateTable("tickets").set({ department_id: departmentId, updated_at: now })
      .where("id", "=", ticketId).execute();
  }
  return row.department_id;
}
