/**
 * The workspace's list pane: search, sort and filters, one row per ticket, and the pager. The
 * rows are a table on a wide pane and three-line cards on a narrow one (a container query in
 * static/workspace.css), so the same markup serves the inbox, the pane beside an open ticket and
 * a phone. Pills and times never wrap; times are relative with the exact instant on hover.
 */
import type { ComponentChildren } from "preact";
import type { Translate } from "../domain/i18n/mod.ts";
import { elapsed } from "../domain/i18n/mod.ts";
import type { TicketStatus } from "../domain/ticket_status.ts";
import type { InboxSort, TicketPage } from "../db/ticket_list.ts";
import type { InboxSla } from "../db/sla_view.ts";
import { numberFormat } from "../domain/intl_cache.ts";
import { type RelativeLocale } from "../domain/relative_time.ts";
import { RowActivity, type RowActivityData } from "./RowActivity.tsx";
import { InboxFilters, type InboxFilterValues } from "./InboxFilters.tsx";
import { ReportLinkChips, ReportLinkHidden, type ReportLinkValues } from "./ReportLinkChips.tsx";
import { viewCount } from "./SavedViews.tsx";
import { SlaCell } from "./SlaPanel.tsx";
import { formatDateTime } from "./render.tsx";
import { RelTime } from "./RelTime.tsx";

export interface TicketListProps {
  t: Translate;
  locale: string;
  timeZone: string;
  now: number;
  link: (over: Record<string, string | number>) => string;
  status: TicketStatus | "all";
  sort: InboxSort;
  q: string;
  /** me, none or an agent's id (report links). */
  assignee: string | undefined;
  filters: InboxFilterValues & Omit<ReportLinkValues, "assignee">;
  /** Names for the report-link filters' chips. */
  agents: { id: number; name: string }[];
  departments: { id: number; name: string }[];
  tags: { name: string }[];
  list: TicketPage;
  sla: Map<number, InboxSla>;
  activity: Map<number, RowActivityData>;
  /** The ticket open beside the list (its row is marked), if any. */
  openNumber?: number;
  /** A banner above the list (the getting-started list). */
  banner?: ComponentChildren;
}

/** Warning and breached rows are coloured; so are urgent and high priorities. */
function slaRowClass(sla: InboxSla | undefined, open: boolean): string | undefined {
  const classes = [
    sla && sla.tone !== "ok" ? `sla-${sla.tone}` : "",
    sla && (sla.priority === "high" || sla.priority === "urgent") ? `priority-${sla.priority}` : "",
    open ? "open-row" : "",
  ].filter(Boolean);
  return classes.join(" ") || undefined;
}

/** The list pane. */
export function TicketList(p: TicketListProps) {
  const { t } = p;
  const { tickets, total, totalCapped, offset, next, prev } = p.list;
  const number = numberFormat(p.locale === "en" ? "en-GB" : "ja-JP");
  const rel = { locale: (p.locale === "en" ? "en" : "ja") as RelativeLocale, timeZone: p.timeZone };
  return (
    <section class="list ws-list" aria-label={t("workspace.list")}>
      {p.banner}
      <div class="list-tools">
        {
          /* The search box searches every folder's messages (routes/search.tsx); ?q= on the
            inbox stays as a subject/customer filter of the folder for old links. */
        }
        <form method="get" action="/search" class="toolbar search-box">
          <input
            type="search"
            name="q"
            value={p.q}
            placeholder={t("search.placeholder")}
            aria-label={t("search.title")}
            data-shortcut="/"
          />
          <button type="submit">{t("inbox.search")}</button>
        </form>
        <details class="list-filters" open={p.openNumber === undefined ? true : undefined}>
          <summary>{t("workspace.filters")}</summary>
          <form method="get" action="/" class="toolbar">
            <input type="hidden" name="status" value={p.status} />
            {p.assignee && <input type="hidden" name="assignee" value={p.assignee} />}
            {p.q && <input type="hidden" name="q" value={p.q} />}
            <select name="sort" aria-label={t("inbox.sortLabel")}>
              <option value="newest" selected={p.sort === "newest"}>{t("inbox.newest")}</option>
              <option value="oldest" selected={p.sort === "oldest"}>{t("inbox.oldest")}</option>
              <option value="due" selected={p.sort === "due"}>{t("inbox.due")}</option>
            </select>
            <InboxFilters t={t} values={p.filters} departments={p.departments} tags={p.tags} />
            <ReportLinkHidden values={p.filters} />
            <button type="submit">{t("search.applySort")}</button>
          </form>
        </details>
      </div>
      <ReportLinkChips
        t={t}
        values={{ ...p.filters, assignee: p.assignee }}
        agents={p.agents}
        link={p.link}
      />
      {tickets.length === 0 ? <p class="empty">{t("inbox.empty")}</p> : (
        <table class="tickets">
          <thead>
            <tr>
              <th>#</th>
              <th>{t("inbox.subject")}</th>
              <th>{t("inbox.customer")}</th>
              <th>{t("inbox.status")}</th>
              <th>{t("team.assignee")}</th>
              <th>{t("inbox.sla")}</th>
              <th>{t("inbox.elapsed")}</th>
              <th>{t("inbox.updated")}</th>
            </tr>
          </thead>
          <tbody>
            {tickets.map((tk) => {
              const sla = p.sla.get(tk.id);
              const open = tk.number === p.openNumber;
              return (
                <tr key={tk.id} data-ticket={tk.number} class={slaRowClass(sla, open)}>
                  <td class="num">{tk.number}</td>
                  <td class="subject">
                    <a href={`/tickets/${tk.number}`} aria-current={open ? "page" : undefined}>
                      {tk.subject}
                    </a>
                    {tk.messageCount > 1 && (
                      <span class="muted reply-count" title={t("inbox.messages")}>
                        {tk.messageCount}
                      </span>
                    )}
                    <RowActivity t={t} a={p.activity.get(tk.id)} />
                  </td>
                  <td class="customer" title={tk.customerEmail}>
                    <a href={`/customers/${tk.customerId}`}>{tk.customerName}</a>
                  </td>
                  <td class="status">
                    <span class={`badge status-${tk.status}`}>{t(`status.${tk.status}`)}</span>
                  </td>
                  <td class="assignee">
                    {tk.assigneeName === null
                      ? <span class="muted">{t("team.unassigned")}</span>
                      : tk.assigneeDisabled
                      ? (
                        <span class="muted">
                          {`${tk.assigneeName} (${t("team.disabledAgent")})`}
                        </span>
                      )
                      : tk.assigneeName}
                  </td>
                  <td class="sla">
                    <SlaCell
                      t={t}
                      remainingMs={sla?.remainingMs ?? null}
                      paused={sla?.paused ?? false}
                      businessHours={sla?.businessHours ?? false}
                      dueLabel={sla?.dueAt
                        ? formatDateTime(sla.dueAt, p.timeZone, p.locale)
                        : undefined}
                    />
                  </td>
                  <td class="age" title={formatDateTime(tk.createdAt, p.timeZone, p.locale)}>
                    {elapsed(t, tk.createdAt, p.now)}
                  </td>
                  <td class="updated">
                    <RelTime at={tk.lastMessageAt} now={p.now} opts={rel} />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <nav class="pager">
        {prev !== null && (
          <a href={p.link(prev === "" ? {} : { cursor: prev })} rel="prev">{t("inbox.prev")}</a>
        )}
        <span>
          {tickets.length > 0 &&
            `${number.format(offset + 1)}–${number.format(offset + tickets.length)} / `}
          {viewCount(t, { n: total, capped: totalCapped }, (n) => number.format(n))}
        </span>
        {next !== null && <a href={p.link({ cursor: next })} rel="next">{t("inbox.next")}</a>}
      </nav>
    </section>
  );
}
