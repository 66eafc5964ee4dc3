/**
 * Counts for the workspace's navigation pane beyond the status folders: per department (from the
 * ticket_counts counters, never a scan) and per tag (the tag's index entries, each looked up in
 * tickets: the cost grows with the tagged tickets of the folder, not with the whole table).
 */
import { sql } from "kysely";
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
  let query = db.selectFrom("ticket_tags").innerJoin(
    "tickets",
    "tickets.id",
    "ticket_tags.ticket_id",
  )
    .select("ticket_tags.tag_id")
    .select(sql<number>`count(*)`.as("n"));
  query = status
    ? query.where("tickets.status", "=", status)
    : query.where("tickets.status", "!=", "spam");
  if (departmentIds) query = query.where("tickets.department_id", "in", [...departmentIds, -1]);
  const rows = await query.groupBy("ticket_tags.tag_id").execute();
  return new Map(rows.map((r) => [Number(r.tag_id), Number(r.n)]));
}
