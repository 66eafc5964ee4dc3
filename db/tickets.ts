/** Ticket queries: one ticket, creation and status changes (the inbox list: ticket_list.ts). */
import { sql } from "kysely";
import type { Db, Tx } from "./client.ts";
import { isTicketStatus, type TicketStatus } from "../domain/ticket_status.ts";

export interface TicketSummary {
  id: number;
  number: number;
  subject: string;
  status: TicketStatus;
  customerId: number;
  customerEmail: string;
  customerName: string;
  createdAt: number;
  lastMessageAt: number;
  messageCount: number;
  /** The owning agent (null: unassigned) and their name. */
  assigneeId: number | null;
  assigneeName: string | null;
  /** The assignee's account is disabled (lists show "名前 (無効)"); absent: not read. */
  assigneeDisabled?: boolean;
}

export interface Ticket extends TicketSummary {
  customerId: number;
  departmentId: number;
  replyToken: string;
  channel: string;
  /** low / normal / high / urgent (domain/priority.ts). */
  priority: string;
  /** Stored SLA deadlines (db/sla.ts); null when that clock does not run. */
  firstResponseDueAt: number | null;
  nextResponseDueAt: number | null;
  resolutionDueAt: number | null;
  /** Moves with every message, status, department or assignment change (the stale-send guard). */
  version: number;
}

function ticketColumns(db: Db | Tx) {
  return db.selectFrom("tickets")
    .innerJoin("customers", "customers.id", "tickets.customer_id")
    .select([
      "tickets.id",
      "tickets.number",
      "tickets.subject",
      "tickets.status",
      "tickets.customer_id as customerId",
      "tickets.department_id as departmentId",
      "tickets.reply_token as replyToken",
      "tickets.channel",
      "tickets.priority",
      "tickets.first_response_due_at as firstResponseDueAt",
      "tickets.next_response_due_at as nextResponseDueAt",
      "tickets.resolution_due_at as resolutionDueAt",
      "tickets.created_at as createdAt",
      "tickets.last_message_at as lastMessageAt",
      "tickets.message_count as messageCount",
      "tickets.version",
      "customers.email as customerEmail",
      "customers.name as customerName",
      "tickets.assignee_id as assigneeId",
      sql<string | null>`(select name from agents where agents.id = tickets.assignee_id)`.as(
        "assigneeName",
      ),
    ]);
}

function toTicket<T extends { status: string }>(row: T): T & { status: TicketStatus } {
  return { ...row, status: isTicketStatus(row.status) ? row.status : "new" };
}

/** A ticket by id, or undefined. */
export async function findTicket(db: Db | Tx, id: number): Promise<Ticket | undefined> {
  const row = await ticketColumns(db).where("tickets.id", "=", id).executeTakeFirst();
  return row && toTicket(row);
}

/** A ticket by its human number, or undefined. */
export async function findTicketByNumber(db: Db | Tx, number: number): Promise<Ticket | undefined> {
  const row = await ticketColumns(db).where("tickets.number", "=", number).executeTakeFirst();
  return row && toTicket(row);
}

/**
 * Creates a ticket with the next human number. Call inside the write lock. Without a
 * `departmentId` it goes to the default department (`defaultDepartmentId`); `messageCount` is the
 * count to start from (a ticket created together with its first message may say 1 and skip
 * `touchTicket`). One statement: numbering and the default department are subqueries.
 */
export async function insertTicket(
  tx: Tx,
  t: {
    subject: string;
    status: TicketStatus;
    customerId: number;
    departmentId?: number;
    replyToken: string;
    channel: string;
    now: number;
    messageCount?: number;
  },
): Promise<{ id: number; number: number; departmentId: number }> {
  const row = await tx.insertInto("tickets").values((eb) => ({
    number: eb.selectFrom("tickets").select(sql<number>`coalesce(max(number), 1000) + 1`.as("n")),
    subject: t.subject,
    status: t.status,
    customer_id: t.customerId,
    department_id: t.departmentId ??
      eb.selectFrom("departments").select("id").orderBy("id").limit(1),
    reply_token: t.replyToken,
    channel: t.channel,
    created_at: t.now,
    updated_at: t.now,
    last_message_at: t.now,
    ...(t.messageCount === undefined ? {} : { message_count: t.messageCount }),
  })).returning(["id", "number", "department_id"]).executeTakeFirstOrThrow();
  return { id: row.id, number: Number(row.number), departmentId: row.department_id };
}

/** Records a new message on the ticket: activity time, count and (maybe) a new status. */
export async function touchTicket(
  tx: Tx,
  ticketId: number,
  status: TicketStatus,
  now: number,
): Promise<void> {
  await tx.updateTable("tickets").set((eb) => ({
    status,
    updated_at: now,
    last_message_at: now,
    message_count: eb("message_count", "+", 1),
  })).where("id", "=", ticketId).execute();
}

/** Counts an outbound message as ticket activity: last-message time and message count. */
export async function countTicketMessage(tx: Tx, ticketId: number, now: number): Promise<void> {
  await tx.updateTable("tickets").set((eb) => ({
    last_message_at: now,
    message_count: eb("message_count", "+", 1),
  })).where("id", "=", ticketId).execute();
}

/** Sets a ticket's status; returns the previous one, or undefined when there is no such ticket. */
export async function updateTicketStatus(
  tx: Tx,
  ticketId: number,
  status: TicketStatus,
  now: number,
): Promise<TicketStatus | undefined> {
  const before = await tx.selectFrom("tickets").select("status").where("id", "=", ticketId)
    .executeTakeFirst();
  if (!before) return undefined;
  await tx.updateTable("tickets").set({ status, updated_at: now }).where("id", "=", ticketId)
    .execute();
  return isTicketStatus(before.status) ? before.status : "new";
}

/** The ids of the default department. */
export async function defaultDepartmentId(db: Db | Tx): Promise<number> {
  const row = await db.selectFrom("departments").select("id").orderBy("id").limit(1)
    .executeTakeFirstOrThrow();
  return row.id;
}
