/** The team's parts of a ticket in the API: assignee, department, tags and the history. */
import type { Db } from "../../../db/client.ts";
import type { Ticket } from "../../../db/tickets.ts";
import { findDepartment } from "../../../db/departments.ts";
import { ticketTags } from "../../../db/tags.ts";
import { listTicketEvents } from "../../../db/events.ts";
import { ticketJson } from "./json.ts";

/** One ticket (no messages) with its assignee, department and tags. */
export async function ticketTeamJson(db: Db, t: Ticket) {
  const [department, tags] = await Promise.all([
    findDepartment(db, t.departmentId),
    ticketTags(db, t.id),
  ]);
  return {
    ...ticketJson(t),
    assignee: t.assigneeId === null ? null : { id: t.assigneeId, name: t.assigneeName },
    department: department
      ? { id: department.id, name: department.name, slug: department.slug }
      : null,
    tags: tags.map((g) => ({ name: g.name, color: g.color })),
  };
}

/** The ticket's history, oldest first: kind, actor (null: a customer or Madoguchi), data, time. */
export async function ticketEventsJson(db: Db, ticketId: number) {
  const events = await listTicketEvents(db, ticketId);
  return events.map((e) => ({
    kind: e.kind,
    actor: e.agentName,
    data: JSON.parse(e.dataJson),
    created_at: new Date(e.createdAt).toISOString(),
  }));
}
