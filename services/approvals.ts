/**
 * Approval before send (承認): an agent's reply that needs approval — the agent's own setting, or
 * a keyword rule (domain/approval.ts) — becomes a request instead of a mail. A supervisor
 * approves it (one mail, queued then: the first-response clock counts from that moment), edits
 * and approves (the author sees both texts), or returns it with a comment (差戻し: the text goes
 * back to the author as a draft). Every step is an audit event; the author is notified.
 */
import {
  decideApprovalRequest,
  findApprovalRequest,
  insertApprovalRequest,
  setApprovalMessage,
  updateDepartmentApproval,
  updateRequiresApproval,
} from "../db/approvals.ts";
import { findTicket } from "../db/tickets.ts";
import { recordEvent } from "../db/events.ts";
import { insertNotifications } from "../db/notifications.ts";
import { saveReplyDraft } from "../db/reply_drafts.ts";
import { ticketVersion } from "../db/ticket_versions.ts";
import { approvalReasons, firstRepliesLimit, isApprover } from "../domain/approval.ts";
import { findApprovalFacts } from "../db/approval_policy.ts";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../domain/errors.ts";
import { isTicketStatus } from "../domain/ticket_status.ts";
import type { OpContext } from "./context.ts";
import { guardStale, type ReplyInput, replyText, replyToCustomer } from "./replies.ts";
import { findApprovalPayload, saveApprovalPayload } from "../db/approval_payload.ts";
import { checkedAttachments, replyRecipients } from "./composer.ts";
import { formatMailbox } from "../domain/recipients.ts";
import { guardReplyLock } from "./reply_lock.ts";
import { discardDraft } from "./drafts.ts";
import { recordHandlingTime } from "./handling_time.ts";

export const APPROVAL_REQUESTED = "approval.requested";
export const APPROVAL_APPROVED = "approval.approved";
export const APPROVAL_RETURNED = "approval.returned";

export type ReplyOutcome =
  | { kind: "sent"; messageId: number }
  | { kind: "approval"; approvalId: number; reasons: string[] };

/** An agent sends a reply: mailed, or filed for approval when a rule says so. */
export async function sendReply(ctx: OpContext, input: ReplyInput): Promise<ReplyOutcome> {
  if (ctx.actor.kind !== "agent") throw new Error("sendReply: only an agent replies");
  const text = input.text.replace(/\r\n?/g, "\n").trim();
  const facts = await findApprovalFacts(ctx.tx, ctx.actor.id, input.ticketId);
  const reasons = approvalReasons({
    agentRequiresApproval: facts.agentRequiresApproval,
    departmentRequiresApproval: facts.departmentRequiresApproval,
    role: ctx.actor.role,
    text,
    firstReplies: {
      limit: firstRepliesLimit(facts.globalFirstReplies, facts.departmentFirstReplies),
      sent: facts.repliesSent,
    },
  });
  if (reasons.length === 0) {
    return { kind: "sent", messageId: await replyToCustomer(ctx, input) };
  }
  const ticket = await findTicket(ctx.tx, input.ticketId);
  if (!ticket) throw new NotFoundError("No such ticket");
  // Checked as a mail would be; the request keeps the text as it will go out, signature and all.
  const finalText = await replyText(ctx, input, ticket);
  const recipients = await replyRecipients(ctx.tx, ctx.sender, ticket, ctx.now, input.recipients);
  const attachments = checkedAttachments(input.attachments ?? []);
  // The same guards as a mail: a request composed against a stale version is refused too.
  if (input.expectedVersion !== undefined) await guardStale(ctx, ticket, input.expectedVersion);
  await guardReplyLock(ctx, { ticketId: ticket.id, takeOver: input.takeOver });
  const approvalId = await insertApprovalRequest(ctx.tx, {
    ticketId: ticket.id,
    agentId: ctx.actor.id,
    text: finalText,
    replyStatus: input.status,
    reasons,
    now: ctx.now,
  });
  await saveApprovalPayload(ctx.tx, approvalId, { recipients, attachments });
  await discardDraft(ctx, ticket.id);
  // The author's composing ends here; the approved mail later records none.
  await recordHandlingTime(ctx, {
    ticketId: ticket.id,
    messageId: null,
    stamp: input.composeStamp,
  });
  await recordEvent(ctx.tx, {
    ticketId: ticket.id,
    agentId: ctx.actor.id,
    kind: APPROVAL_REQUESTED,
    data: { approvalId, reasons },
    now: ctx.now,
  });
  ctx.notify({ ticketId: ticket.id });
  return { kind: "approval", approvalId, reasons };
}

async function pendingFor(ctx: OpContext, id: number) {
  if (ctx.actor.kind !== "agent" || !isApprover(ctx.actor.role)) {
    throw new ForbiddenError("Only supervisors decide approvals");
  }
  const request = await findApprovalRequest(ctx.tx, id);
  if (!request) throw new NotFoundError("No such approval request");
  if (request.status !== "pending") {
    throw new ConflictError("The request was already decided", "decided");
  }
  return { request, approver: ctx.actor };
}

/**
 * Approves a pending request (optionally with an edited text): exactly one mail, sent as its
 * author. The status check and the write share the writer's transaction, so a double approval
 * sends once and the second gets ConflictError "decided".
 */
export async function approveRequest(
  ctx: OpContext,
  input: { id: number; text?: string },
): Promise<{ messageId: number }> {
  const { request, approver } = await pendingFor(ctx, input.id);
  const edited = input.text?.replace(/\r\n?/g, "\n").trim();
  const text = edited || request.text;
  await decideApprovalRequest(ctx.tx, request.id, {
    status: "approved",
    by: approver.id,
    now: ctx.now,
    approvedText: edited && edited !== request.text ? edited : null,
  });
  const author = await ctx.tx.selectFrom("agents").select(["id", "name", "role"])
    .where("id", "=", request.agentId).executeTakeFirstOrThrow();
  const payload = await findApprovalPayload(ctx.tx, request.id);
  const entries = payload.recipients && {
    to: payload.recipients.to.map(formatMailbox),
    cc: payload.recipients.cc.map(formatMailbox),
    bcc: payload.recipients.bcc.map(formatMailbox),
  };
  const messageId = await replyToCustomer(
    { ...ctx, actor: { kind: "agent", id: author.id, name: author.name, role: author.role } },
    {
      ticketId: request.ticketId,
      text,
      status: isTicketStatus(request.replyStatus) ? request.replyStatus : "pending",
      approved: true,
      // The text was stored signed (a request before 0025 was not: it gets the signature now).
      signed: payload.recipients !== null,
      recipients: entries ?? undefined,
      attachments: payload.attachments,
    },
  );
  await setApprovalMessage(ctx.tx, request.id, messageId);
  const data = { approvalId: request.id, messageId, edited: text !== request.text };
  await recordEvent(ctx.tx, {
    ticketId: request.ticketId,
    agentId: approver.id,
    kind: APPROVAL_APPROVED,
    data,
    now: ctx.now,
  });
  await insertNotifications(ctx.tx, [request.agentId], {
    ticketId: request.ticketId,
    kind: APPROVAL_APPROVED,
    data: { by: approver.name, edited: data.edited },
    now: ctx.now,
  });
  return { messageId };
}

/** Returns a pending request to its author with a comment; the text becomes their draft again. */
export async function returnRequest(
  ctx: OpContext,
  input: { id: number; comment: string },
): Promise<void> {
  const comment = input.comment.trim();
  if (!comment) throw new ValidationError("A comment is required", { comment: "required" });
  const { request, approver } = await pendingFor(ctx, input.id);
  await decideApprovalRequest(ctx.tx, request.id, {
    status: "returned",
    by: approver.id,
    now: ctx.now,
    comment,
  });
  await saveReplyDraft(ctx.tx, {
    ticketId: request.ticketId,
    agentId: request.agentId,
    text: request.text,
    version: await ticketVersion(ctx.tx, request.ticketId) ?? 0,
    now: ctx.now,
  });
  await recordEvent(ctx.tx, {
    ticketId: request.ticketId,
    agentId: approver.id,
    kind: APPROVAL_RETURNED,
    data: { approvalId: request.id, comment },
    now: ctx.now,
  });
  await insertNotifications(ctx.tx, [request.agentId], {
    ticketId: request.ticketId,
    kind: APPROVAL_RETURNED,
    data: { by: approver.name, comment },
    now: ctx.now,
  });
  ctx.notify({ ticketId: request.ticketId });
}

/** Admin: whether an agent's replies need approval. */
export async function setRequiresApproval(
  ctx: OpContext,
  input: { agentId: number; on: boolean },
): Promise<void> {
  if (ctx.actor.kind !== "agent" || ctx.actor.role !== "admin") {
    throw new ForbiddenError("Only admins change approval settings");
  }
  if (!await updateRequiresApproval(ctx.tx, input.agentId, input.on)) {
    throw new NotFoundError("No such agent");
  }
}

/** Admin: whether replies on a department's tickets need approval. */
export async function setDepartmentApproval(
  ctx: OpContext,
  input: { departmentId: number; on: boolean },
): Promise<void> {
  if (ctx.actor.kind !== "agent" || ctx.actor.role !== "admin") {
    throw new ForbiddenError("Only admins change approval settings");
  }
  if (!await updateDepartmentApproval(ctx.tx, input.departmentId, input.on)) {
    throw new NotFoundError("No such department");
  }
}
