/**
 * Admin: the approval policy in one place (/admin/approval) — the first-N-replies rule for new
 * agents (globally, or per department), the departments whose every reply waits, and the agents
 * whose every reply waits. Applied by services/approvals.ts#sendReply.
 */
import { updateDepartmentApprovalPolicy, updateGlobalFirstReplies } from "../db/approval_policy.ts";
import { updateRequiresApproval } from "../db/approvals.ts";
import { recordEvent } from "../db/events.ts";
import { ForbiddenError, NotFoundError, ValidationError } from "../domain/errors.ts";
import type { OpContext } from "./context.ts";

/** The largest N an admin may set (a new agent's first 1 000 replies is already a lot). */
export const MAX_FIRST_REPLIES = 1_000;

export interface ApprovalPolicyInput {
  /** Replies of an agent with fewer than this many sent wait for approval (0: off). */
  firstReplies: number;
  departments: { id: number; requiresApproval: boolean; firstReplies: number | null }[];
  agents: { id: number; requiresApproval: boolean }[];
}

function checkN(n: number | null, field: string) {
  if (n === null) return;
  if (!Number.isInteger(n) || n < 0 || n > MAX_FIRST_REPLIES) {
    throw new ValidationError("The number of replies is out of range", { [field]: "range" });
  }
}

/** Saves the whole approval policy (admins); recorded as one audit event. */
export async function setApprovalPolicy(ctx: OpContext, input: ApprovalPolicyInput) {
  if (ctx.actor.kind !== "agent" || ctx.actor.role !== "admin") {
    throw new ForbiddenError("Only admins change approval settings");
  }
  checkN(input.firstReplies, "first_replies");
  for (const d of input.departments) checkN(d.firstReplies, `dept_${d.id}_first`);
  await updateGlobalFirstReplies(ctx.tx, input.firstReplies);
  for (const d of input.departments) {
    if (!await updateDepartmentApprovalPolicy(ctx.tx, d.id, d)) {
      throw new NotFoundError("No such department");
    }
  }
  for (const a of input.agents) {
    if (!await updateRequiresApproval(ctx.tx, a.id, a.requiresApproval)) {
      throw new NotFoundError("No such agent");
    }
  }
  await recordEvent(ctx.tx, {
    ticketId: null,
    agentId: ctx.actor.id,
    kind: "approval.policy",
    data: { ...input },
    now: ctx.now,
  });
}
