/**
 * A ticket's priority and department: the two fields (besides status) that pick its SLA policy.
 * Changing either records an audit event and recomputes the SLA in the same transaction.
 */
import type { Store, Tx } from "./client.ts";
import { recordEvent } from "./events.ts";
import { recomputeTicketSla } from "./sla.ts";
import { NotFoundError, ValidationError } from "../domain/errors.ts";
import { isPriority, type Priority } from "../domain/priority.ts";
import { wakeLoops } from "../loops/wakeups.ts";

/** Sets a ticket's priority inside a transaction; returns the previous one (undefined: no ticket). */
export async function updateTicketPriority(
  tx: Tx,
  ticketId: number,
  priority: Priority,
  agentId: number | null,
  now: number,
): Promise<Priority | undefined> {
  const row = await tx.selectFrom("tickets").select("priority").where("id", "=", ticketId)
    .executeTakeFirst();
  if (!row) return undefined;
  const before = isPriority(row.priority) ? row.priority : "normal";
  if (before === priority) return before;
  await tx.updateTable("tickets").set({ priority, updated_at: now }).where("id", "=", ticketId)
    .execute();
  await recordEvent(tx, {
    ticketId,
    agentId,
    kind: "priority.changed",
    data: { from: before, to: priority },
    now,
  });
  await recomputeTicketSla(tx, ticketId, now);
  return before;
}

/** Moves a ticket to another department inside a transaction; false when either is missing. */
export async function updateTicketDepartment(
  tx: Tx,
  ticketId: number,
  departmentId: number,
  agentId: number | null,
  now: number,
): Promise<boolean> {
  const row = await tx.selectFrom("tickets").select("department_id").where("id", "=", ticketId)
    .executeTakeFirst();
  const target = await tx.selectFrom("departments").select("id").where("id", "=", departmentId)
    .executeTakeFirst();
  if (!row || !target) return false;
  if (row.department_id === departmentId) return true;
  await tx.updateTable("tickets").set({ department_id: departmentId, updated_at: now })
    .where("id", "=", ticketId).execute();
  await recordEvent(tx, {
    ticketId,
    agentId,
    kind: "department.changed",
    data: { from: row.department_id, to: departmentId },
    now,
  });
  await recomputeTicketSla(tx, ticketId, now);
  return true;
}

/** An agent changes a ticket's priority. */
export async function changePriority(
  store: Store,
  ticketId: number,
  priority: Priority,
  agentId: number | null,
  now = Date.now(),
): Promise<void> {
  const before = await store.writeTx((tx) =>
    updateTicketPriority(tx, ticketId, priority, agentId, now)
  );
  if (before === undefined) throw new NotFoundError("No such ticket");
  wakeLoops("timers");
}

/** An agent moves a ticket to another department. */
export async function changeDepartment(
  store: Store,
  ticketId: number,
  departmentId: number,
  agentId: number | null,
  now = Date.now(),
): Promise<void> {
  const moved = await store.writeTx((tx) =>
    updateTicketDepartment(tx, ticketId, departmentId, agentId, now)
  );
  if (!moved) throw new ValidationError("Cannot move ticket: no such department");
  wakeLoops("timers");
}
