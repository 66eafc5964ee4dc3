/** How the team's notices read on the notifications page (assignment, transfer, mention). */
import type { Translate } from "../domain/i18n/mod.ts";

/** The text of a team notice, or null for another kind. */
export function teamNoticeText(
  t: Translate,
  n: { kind: string; ticketNumber: number | null; data: Record<string, unknown> },
): string | null {
  const number = n.ticketNumber ?? "";
  const by = String(n.data.by ?? "");
  switch (n.kind) {
    case "ticket.assigned":
      return t("team.notice.assigned", { number });
    case "ticket.transferred":
      return t("team.notice.transferred", { number, by, memo: String(n.data.memo ?? "") });
    case "note.mention":
      return t("team.notice.mention", { number, by });
    default:
      return null;
  }
}
