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
  await applyChange(tx, ticketId, { priority }, {
    kind: "priority.changed",
    data: { from: before, to: priority },
    agentId,
    now,
  });
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
  await applyChange(tx, ticketId, { department_id: departmentId }, {
    kind: "department.changed",
    data: { from: row.department_id, to: departmentId },
    agentId,
    now,
  });
  return true;
}

/** Writes the changed field, its audit event and the SLA it now picks. */
async function applyChange(
  tx: Tx,
  ticketId: number,
  set: { priority: Priority } | { department_id: number },
  e: { kind: string; data: { from: unknown; to: unknown }; agentId: number | null; now: number },
): Promise<void> {
  await tx.updateTable("tickets").set({ ...set, updated_at: e.now }).where("id", "=", ticketId)
    .execute();
  await recordEvent(tx, { ticketId, ...e });
  await recomputeTicketSla(tx, ticketId, e.now);
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
