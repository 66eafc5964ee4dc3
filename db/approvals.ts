/** Approval requests: replies waiting for a supervisor (migration 0014). */
import type { Db, Tx } from "./client.ts";

export interface ApprovalRequest {
  id: number;
  ticketId: number;
  ticketNumber: number;
  ticketSubject: string;
  agentId: number;
  agentName: string;
  text: string;
  replyStatus: string;
  reasons: string[];
  status: "pending" | "returned" | "approved";
  comment: string | null;
  approvedText: string | null;
  decidedBy: number | null;
  decidedAt: number | null;
  messageId: number | null;
  createdAt: number;
}

function columns(db: Db | Tx) {
  return db.selectFrom("approval_requests as a")
    .innerJoin("tickets", "tickets.id", "a.ticket_id")
    .innerJoin("agents", "agents.id", "a.agent_id")
    .select([
      "a.id",
      "a.ticket_id as ticketId",
      "tickets.number as ticketNumber",
      "tickets.subject as ticketSubject",
      "a.agent_id as agentId",
      "agents.name as agentName",
      "a.text",
      "a.reply_status as replyStatus",
      "a.reasons_json",
      "a.status",
      "a.comment",
      "a.approved_text as approvedText",
      "a.decided_by as decidedBy",
      "a.decided_at as decidedAt",
      "a.message_id as messageId",
      "a.created_at as createdAt",
    ]);
}

function toRequest(
  r: Omit<ApprovalRequest, "reasons"> & { reasons_json: string },
): ApprovalRequest {
  const { reasons_json, ...rest } = r;
  return { ...rest, reasons: JSON.parse(reasons_json) };
}

/** Files a request; returns its id. */
export async function insertApprovalRequest(
  tx: Tx,
  r: {
    ticketId: number;
    agentId: number;
    text: string;
    replyStatus: string;
    reasons: string[];
    now: number;
  },
): Promise<number> {
  const { id } = await tx.insertInto("approval_requests").values({
    ticket_id: r.ticketId,
    agent_id: r.agentId,
    text: r.text,
    reply_status: r.replyStatus,
    reasons_json: JSON.stringify(r.reasons),
    created_at: r.now,
  }).returning("id").executeTakeFirstOrThrow();
  return id;
}

/** One request, or undefined. */
export async function findApprovalRequest(
  db: Db | Tx,
  id: number,
): Promise<ApprovalRequest | undefined> {
  const row = await columns(db).where("a.id", "=", id).executeTakeFirst();
  return row && toRequest(row);
}

/** Pending requests, oldest first (the 承認待ち folder; by the status index). */
export async function listPendingApprovals(db: Db, limit = 200): Promise<ApprovalRequest[]> {
  const rows = await columns(db).where("a.status", "=", "pending").orderBy("a.id").limit(limit)
    .execute();
  return rows.map(toRequest);
}

/** How many requests wait. */
export async function countPendingApprovals(db: Db): Promise<number> {
  const row = await db.selectFrom("approval_requests")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("status", "=", "pending").executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The requests of a ticket, newest first. */
export async function listTicketApprovals(db: Db, ticketId: number): Promise<ApprovalRequest[]> {
  const rows = await columns(db).where("a.ticket_id", "=", ticketId).orderBy("a.id", "desc")
    .limit(20).execute();
  return rows.map(toRequest);
}

/**
 * Decides a pending request; false when it was not pending any more (decided by someone else
 * first: the status check and the write are one statement in the writer's transaction).
 */
export async function decideApprovalRequest(
  tx: Tx,
  id: number,
  d: {
    status: "approved" | "returned";
    by: number;
    now: number;
    comment?: string | null;
    approvedText?: string | null;
  },
): Promise<boolean> {
  const r = await tx.updateTable("approval_requests").set({
    status: d.status,
    decided_by: d.by,
    decided_at: d.now,
    comment: d.comment ?? null,
    approved_text: d.approvedText ?? null,
  }).where("id", "=", id).where("status", "=", "pending").executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Links an approved request to the mail it became. */
export async function setApprovalMessage(tx: Tx, id: number, messageId: number): Promise<void> {
  await tx.updateTable("approval_requests").set({ message_id: messageId }).where("id", "=", id)
    .execute();
}

/** Sets whether an agent's replies need approval; false when there is no such agent. */
export async function updateRequiresApproval(
  tx: Tx,
  agentId: number,
  on: boolean,
): Promise<boolean> {
  const r = await tx.updateTable("agents").set({ requires_approval: on ? 1 : 0 })
    .where("id", "=", agentId).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Sets whether a department's replies need approval; false when there is no such department. */
export async function updateDepartmentApproval(
  tx: Tx,
  departmentId: number,
  on: boolean,
): Promise<boolean> {
  const r = await tx.updateTable("departments").set({ requires_approval: on ? 1 : 0 })
    .where("id", "=", departmentId).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
