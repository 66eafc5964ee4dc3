/** When a reply needs a supervisor's approval (承認) before it is sent. Pure. */

/** Words that make any reply need approval (refunds, cancellations). */
export const APPROVAL_KEYWORDS = ["返金", "解約"] as const;

/**
 * Why a reply needs approval: "agent" (the agent's setting), "department" (the ticket's
 * department's) or "keyword:<word>"; [] when it does not.
 */
export function approvalReasons(
  input: {
    agentRequiresApproval: boolean;
    departmentRequiresApproval?: boolean;
    role: string;
    text: string;
  },
  keywords: readonly string[] = APPROVAL_KEYWORDS,
): string[] {
  // Approvers' own replies go out: they are the ones who would approve them.
  if (isApprover(input.role)) return [];
  const reasons: string[] = [];
  if (input.agentRequiresApproval) reasons.push("agent");
  if (input.departmentRequiresApproval) reasons.push("department");
  for (const word of keywords) if (input.text.includes(word)) reasons.push(`keyword:${word}`);
  return reasons;
}

/** Who approves: admins and supervisors. */
export function isApprover(role: string): boolean {
  return role === "admin" || role === "supervisor";
}
