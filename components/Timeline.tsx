/** The ticket's history: every change with who made it and when, apart from the mail. */
import type { Translate } from "../domain/i18n/mod.ts";
import { formatDateTime } from "./render.tsx";
import { isTicketStatus } from "../domain/ticket_status.ts";
import { isPriority } from "../domain/priority.ts";
import { approvalReasonsText } from "./approval_reasons.ts";

export interface TimelineEvent {
  id: number;
  kind: string;
  data: Record<string, unknown>;
  agentName: string | null;
  createdAt: number;
}

function statusName(t: Translate, s: unknown): string {
  return isTicketStatus(s) ? t(`status.${s}`) : str(s);
}

function str(x: unknown): string {
  return x === null || x === undefined ? "" : String(x);
}

/** One event as a sentence; a kind without its own text shows as its name. */
export function eventText(t: Translate, e: TimelineEvent): string {
  const d = e.data;
  switch (e.kind) {
    case "assignee.changed": {
      const who = d.to === null ? t("team.unassigned") : str(d.toName);
      const reason = d.reason as Record<string, unknown> | undefined;
      const via = reason?.via;
      if (
        via === "round_robin" || via === "least_loaded" || via === "first_receiver" ||
        via === "last_agent"
      ) {
        const next = reason?.next ? t("team.event.next", { name: str(reason.next) }) : "";
        return t("team.event.autoAssigned", { name: who, how: t(`team.via.${via}`), next });
      }
      if (via === "replied") return t("team.event.tookByReply", { name: who });
      if (via === "rule") {
        return t("routing.event.assigned", { rule: str(reason?.rule), name: who });
      }
      return t("team.event.assigned", { name: who });
    }
    case "routing.applied":
      return routingText(t, d);
    case "ticket.transferred":
      return t("team.event.transferred", {
        to: [str(d.toName), str(d.departmentName)].filter(Boolean).join(" / ") || "—",
        memo: str(d.memo),
      });
    case "note.added":
      return t("team.event.note");
    // Approval (issue 10): why a reply waits, and what the supervisor decided.
    case "approval.requested":
      return t("approval.event.requested", {
        reasons: approvalReasonsText(t, (d.reasons as string[] | undefined) ?? []),
      });
    case "approval.approved":
      return t(d.edited ? "approval.event.approvedEdited" : "approval.event.approved");
    case "approval.returned":
      return t("approval.event.returned", { comment: str(d.comment) });
    case "tags.changed":
      return t("team.event.tags", {
        added: (d.added as string[] ?? []).join(", ") || "—",
        removed: (d.removed as string[] ?? []).join(", ") || "—",
      });
    case "status.changed":
      return t("team.event.status", {
        from: statusName(t, d.from),
        to: statusName(t, d.to),
      });
    case "priority.changed":
      return t("team.event.priority", { from: str(d.from), to: str(d.to) });
    case "department.changed":
      return t("team.event.department");
    case "reply.queued":
      return t("team.event.reply");
    case "mail.created":
    case "ticket.created":
      return t("team.event.created");
    case "mail.joined":
      return t("team.event.customerWrote");
    default:
      return e.kind;
  }
}

/** "ルール「返金」: 部署 → 経理、タグ +返金" (services/routing_rules.ts writes the data). */
function routingText(t: Translate, d: Record<string, unknown>): string {
  const rule = str(d.rule);
  if ("skipped" in d) return t("routing.event.skipped", { rule, name: str(d.skipped) || "—" });
  const changes: string[] = [];
  if ("department" in d) changes.push(t("routing.summary.department", { name: str(d.department) }));
  if ("assignee" in d) changes.push(t("routing.summary.assignee", { name: str(d.assignee) }));
  if (Array.isArray(d.tags)) changes.push(t("routing.summary.tags", { names: d.tags.join(", ") }));
  if (isPriority(d.priority)) {
    changes.push(t("routing.summary.priority", { priority: t(`priority.${d.priority}`) }));
  }
  return t("routing.event.applied", { rule, changes: changes.join(t("routing.event.separator")) });
}

export function Timeline(
  p: { t: Translate; locale: string; timeZone: string; events: TimelineEvent[] },
) {
  const { t } = p;
  return (
    <details class="timeline" open>
      <summary>{t("team.history")}</summary>
      <ol>
        {p.events.slice().reverse().map((e) => (
          <li key={e.id} data-kind={e.kind}>
            <time>{formatDateTime(e.createdAt, p.timeZone, p.locale)}</time>{" "}
            <strong>{e.agentName ?? t("team.event.system")}</strong> {eventText(t, e)}
          </li>
        ))}
      </ol>
    </details>
  );
}
