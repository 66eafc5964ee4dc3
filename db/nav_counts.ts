/**
 * Counts for the workspace's navigation pane beyond the status folders, from counters kept by
 * triggers (ticket_counts, migration 0010; tag_counts, 0027): a page view never counts tickets.
 */
import type { Db } from "./client.ts";
import type { TicketStatus } from "../domain/ticket_status.ts";

/** Tickets of a folder (undefined: every folder but spam) per department id, from the counters. */
export async function countByDepartment(
  db: Db,
  status: TicketStatus | undefined,
): Promise<Map<number, number>> {
  let query = db.selectFrom("ticket_counts").select("department_id")
    .select((eb) => eb.fn.sum<number>("count").as("n"));
  query = status ? query.where("status", "=", status) : query.where("status", "!=", "spam");
  const rows = await query.groupBy("department_id").execute();
  return new Map(rows.map((r) => [Number(r.department_id), Number(r.n)]));
}

/** Tickets of a folder carrying each tag, by tag id (only departments given, when given). */
export async function countByTag(
  db: Db,
  status: TicketStatus | undefined,
  departmentIds?: readonly number[],
): Promise<Map<number, number>> {
  let query = db.selectFrom("tag_counts").select("tag_id")
    .select((eb) => eb.fn.sum<number>("count").as("n"));
  query = status ? query.where("status", "=", status) : query.where("status", "!=", "spam");
  if (departmentIds) query = query.where("department_id", "in", [...departmentIds, -1]);
  const rows = await query.groupBy("tag_id").execute();
  return new Map(rows.map((r) => [Number(r.tag_id), Number(r.n)]));
}
