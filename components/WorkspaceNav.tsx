/**
 * The workspace's navigation pane: status folders, views (mine, unassigned, saved), departments
 * and tags, each with its count. Plain links: the list pane is what the link asks for.
 */
import type { Translate } from "../domain/i18n/mod.ts";
import { STATUSES, type TicketStatus } from "../domain/ticket_status.ts";
import type { SavedView } from "../db/saved_views.ts";
import { SavedViews, viewCount } from "./SavedViews.tsx";
import { type ListCount, SLA_VIEWS, type SlaView } from "../db/ticket_list.ts";
import { numberFormat } from "../domain/intl_cache.ts";

export interface WorkspaceNavProps {
  t: Translate;
  locale: string;
  /** The list's current parameters, to build each link from. */
  link: (over: Record<string, string | number>) => string;
  status: TicketStatus | "all";
  /** me, none or an agent's id (report links). */
  assignee: string | undefined;
  /** The SLA view shown (警告 / 超過), if any. */
  sla: SlaView | undefined;
  department: number | undefined;
  tag: string | undefined;
  counts: Record<TicketStatus, number>;
  /** Replies awaiting approval (承認待ち), for approvers; null for others. */
  pendingApprovals: number | null;
  /** The counts of 自分の担当 / 未割り当て / 全員 and SLA 警告 / 超過 under the other filters. */
  viewCounts: Record<"me" | "none" | "all" | "warning" | "breached", ListCount>;
  views: (SavedView & { count: ListCount })[];
  currentQuery: string;
  canShare: boolean;
  /** Departments this agent sees, with the current folder's count in each. */
  departments: { id: number; name: string; count: number }[];
  /** Tags with how many tickets carry each. */
  tags: { name: string; color: string; count: number }[];
}

function Count({ n }: { n: number }) {
  return <span class="count">{n}</span>;
}

/** The status folders, on every width the first thing of the page. */
export function FolderNav(p: WorkspaceNavProps) {
  const { t } = p;
  return (
    <nav class="ws-folders folders" aria-label={t("workspace.folders")}>
      {STATUSES.map((s) => (
        <a
          key={s}
          href={p.link({ status: s, page: 1 })}
          class={s === p.status ? "active" : ""}
          aria-current={s === p.status ? "page" : undefined}
          data-folder={s}
        >
          <span class="label">{t(`status.${s}`)}</span> <Count n={p.counts[s]} />
        </a>
      ))}
      <a
        href={p.link({ status: "all", page: 1 })}
        class={p.status === "all" ? "active" : ""}
        aria-current={p.status === "all" ? "page" : undefined}
      >
        <span class="label">{t("status.all")}</span>
      </a>
      {p.pendingApprovals !== null && (
        <a href="/approvals" class="approvals-folder">
          <span class="label">{t("approval.title")}</span> <Count n={p.pendingApprovals} />
        </a>
      )}
    </nav>
  );
}

/** Views, departments and tags: under the folders on a desk, under the list on a phone. */
export function MoreNav(p: WorkspaceNavProps) {
  const { t } = p;
  const number = numberFormat(p.locale === "en" ? "en-GB" : "ja-JP");
  const format = (n: number) => number.format(n);
  return (
    <nav class="ws-more folders" aria-label={t("workspace.nav")}>
      <h2>{t("workspace.views")}</h2>
      {(["me", "none", ""] as const).map((a) => (
        <a
          key={a}
          href={p.link({ assignee: a, page: 1 })}
          class={(p.assignee ?? "") === a ? "view selected" : "view"}
          data-view={a || "all"}
        >
          <span class="label">
            {t(
              a === "me"
                ? "team.view.mine"
                : a === "none"
                ? "team.view.unassigned"
                : "team.view.all",
            )}
          </span>
          <span class="count">{viewCount(t, p.viewCounts[a || "all"], format)}</span>
        </a>
      ))}
      {SLA_VIEWS.map((s) => (
        <a
          key={s}
          href={p.link({ sla: p.sla === s ? "" : s, page: 1 })}
          class={p.sla === s ? `view selected sla-view-${s}` : `view sla-view-${s}`}
          data-view={`sla-${s}`}
        >
          <span class="label">{t(`slaView.${s}`)}</span>{" "}
          <span class="count">{viewCount(t, p.viewCounts[s], format)}</span>
        </a>
      ))}
      <SavedViews
        t={t}
        views={p.views}
        currentQuery={p.currentQuery}
        canShare={p.canShare}
        format={format}
      />
      {p.departments.length > 1 && (
        <>
          <h2>{t("workspace.departments")}</h2>
          {p.departments.map((d) => (
            <a
              key={d.id}
              href={p.link({ department: p.department === d.id ? "" : d.id, page: 1 })}
              class={p.department === d.id ? "view selected" : "view"}
              data-department={d.id}
            >
              <span class="label">{d.name}</span> <Count n={d.count} />
            </a>
          ))}
        </>
      )}
      {p.tags.length > 0 && (
        <>
          <h2>{t("workspace.tags")}</h2>
          {p.tags.map((g) => (
            <a
              key={g.name}
              href={p.link({ tag: p.tag === g.name ? "" : g.name, page: 1 })}
              class={p.tag === g.name ? "view selected" : "view"}
              data-tag={g.name}
            >
              <span class="label">
                {/* A presentation attribute: the CSP refuses inline style attributes. */}
                <svg class="tag-dot" viewBox="0 0 10 10" aria-hidden="true">
                  <circle cx="5" cy="5" r="5" fill={g.color} />
                </svg>
                {g.name}
              </span>{" "}
              <Count n={g.count} />
            </a>
          ))}
        </>
      )}
    </nav>
  );
}
