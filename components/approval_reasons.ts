/** An approval request's reasons ("agent", "department", "first_replies:N", "keyword:返金") as words. */
import type { Translate } from "../domain/i18n/mod.ts";

/** One reason as shown to people. */
export function approvalReasonText(t: Translate, reason: string): string {
  if (reason === "agent") return t("approval.reason.agent");
  if (reason === "department") return t("approval.reason.department");
  const first = /^first_replies:(\d+)$/.exec(reason);
  if (first) return t("approval.reason.firstReplies", { n: first[1] });
  return reason.replace(/^keyword:/, "");
}

/** Every reason, joined the way the locale lists things. */
export function approvalReasonsText(t: Translate, reasons: readonly string[]): string {
  return reasons.map((r) => approvalReasonText(t, r)).join(t("guard.separator"));
}
