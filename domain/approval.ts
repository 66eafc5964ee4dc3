/** When a reply needs a supervisor's approval (承認) before it is sent. Pure. */

/** Words that make any reply need approval (refunds, cancellations). */
export const APPROVAL_KEYWORDS = ["返金", "解約"] as const;

/**
 * Why a reply needs approval: "agent" (the agent's setting), "department" (the ticket's
 * department's), "first_replies:<N>" (a new agent who has sent fewer than N replies) or
 * "keyword:<word>"; [] when it does not.
 */
export function approvalReasons(
  input: {
    agentRequiresApproval: boolean;
    departmentRequiresApproval?: boolean;
    role: string;
    text: string;
    /** The first-N rule: N (0: off) and how many replies the agent has sent. */
    firstReplies?: { limit: number; sent: number };
  },
  keywords: readonly string[] = APPROVAL_KEYWORDS,
): string[] {
  // Approvers' own replies go out: they are the ones who would approve them.
  if (isApprover(input.role)) return [];
  const reasons: string[] = [];
  if (input.agentRequiresApproval) reasons.push("agent");
  if (input.departmentRequiresApproval) reasons.push("department");
  const first = input.firstReplies;
  if (first && first.limit > 0 && first.sent < first.limit) {
    reasons.push(`first_replies:${first.limit}`);
  }
  for (const word of keywords) if (input.text.includes(word)) reasons.push(`keyword:${word}`);
  return reasons;
}

/** Who approves: admins and supervisors. */
export function isApprover(role: string): boolean {
  return role === "admin" || role === "supervisor";
}

/** The first-N limit that applies: the department's own, else the global one (0: off). */
export function firstRepliesLimit(global: number, department: number | null): number {
  return Math.max(0, department ?? global);
}
