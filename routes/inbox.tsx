/** The inbox: status folders with counts, sorting, search and paging. */
import { Hono } from "hono";
import { RowActivity, type RowActivityData } from "../components/RowActivity.tsx";
import { inboxActivity } from "./inbox_activity.ts";
import { countPendingApprovals } from "../db/approvals.ts";
import { isApprover } from "../domain/approval.ts";
import {
  BadCursorError,
  countByStatus,
  countMatching,
  INBOX_SORTS,
  type InboxQuery,
  type InboxSort,
  type ListCount,
  listTickets,
  MAX_PAGE_OFFSET,
  SLA_VIEWS,
  type TicketPage,
} from "../db/ticket_list.ts";
import { STATUSES, type TicketStatus } from "../domain/ticket_status.ts";
import { oneOf, orElse, parseInput, text, v, wholeNumber } from "../domain/validation.ts";
import { PRIORITIES } from "../domain/priority.ts";
import { listDepartments } from "../db/departments.ts";
import { listTags } from "../db/tags.ts";
import { InboxFilters, type InboxFilterValues } from "../components/InboxFilters.tsx";
import { SavedViews, viewCount } from "../components/SavedViews.tsx";
import { ReportLinkChips, ReportLinkHidden } from "../components/ReportLinkChips.tsx";
import { reportLinkFilters, type ReportLinkParams, ReportLinkQuery } from "./list_filters.ts";
import { listReportAgents } from "../db/report_queries.ts";
import { listSavedViews, type SavedView } from "../db/saved_views.ts";
import { can } from "../domain/permissions.ts";
import { pageQuery } from "./params.ts";
import { elapsed, type Translate } from "../domain/i18n/mod.ts";
import { formatDateTime } from "../components/render.tsx";
import { renderPage } from "./render.tsx";
import { type AppEnv, assertAgent, displayTimeZone } from "./state.ts";
import { getCookie, setCookie } from "hono/cookie";
import { onboardingState } from "../db/onboarding.ts";
import { Onboarding, onboardingPending } from "../components/Onboarding.tsx";

/** Set when an administrator hides the getting-started list (a preference of this browser). */
const ONBOARDING_COOKIE = "madoguchi_onboarding";
import type { Db } from "../db/client.ts";
import { type InboxSla, inboxSla } from "../db/sla_view.ts";
import { SlaCell } from "../components/SlaPanel.tsx";
import { numberFormat } from "../domain/intl_cache.ts";

/** Warning and breached rows are coloured; so are urgent and high priorities. */
function slaRowClass(sla: InboxSla | undefined): string | undefined {
  if (!sla) return undefined;
  const tone = sla.tone === "ok" ? "" : `sla-${sla.tone}`;
  const priority = sla.priority === "high" || sla.priority === "urgent"
    ? `priority-${sla.priority}`
    : "";
  return [tone, priority].filter(Boolean).join(" ") || undefined;
}

const PER_PAGE = 50;

/** The inbox's query string; a hand-edited or stale link falls back instead of failing. */
const InboxQuery = v.object({
  // No status is the 未対応 folder; one we do not know shows every ticket.
  status: v.optional(orElse(oneOf([...STATUSES, "all"]), "all"), "new"),
  sort: orElse(oneOf(INBOX_SORTS), "newest"),
  page: pageQuery,
  // A search longer than we look at is cut, not refused.
  q: v.fallback(
    v.pipe(v.optional(v.string(), ""), v.trim(), v.transform((s) => s.slice(0, 200))),
    "",
  ),
  // 自分の担当 / 未割り当て / one agent's (report links); anything else shows everyone's.
  assignee: orElse(text({ max: 20, pattern: /^(me|none|[0-9]{1,15})$/ }), undefined),
  department: orElse(wholeNumber({ min: 1, max: Number.MAX_SAFE_INTEGER }), undefined),
  tag: orElse(text({ max: 50 }), undefined),
  priority: orElse(oneOf(PRIORITIES), undefined),
  sla: orElse(oneOf(SLA_VIEWS), undefined),
  // Created from/to, channel, category, deadline: what report figures link with.
  ...ReportLinkQuery.entries,
});

interface InboxProps {
  t: Translate;
  locale: string;
  timeZone: string;
  now: number;
  /** The nearest SLA deadline per ticket id (db/sla_view.ts). */
  sla: Map<number, InboxSla>;
  status: TicketStatus | "all";
  counts: Record<TicketStatus, number>;
  /** Replies awaiting approval (承認待ち), for approvers; null for others. */
  pendingApprovals: number | null;
  /** Who is on each ticket (writing, viewing, drafts), by ticket id. */
  activity: Map<number, RowActivityData>;
  list: TicketPage;
  sort: InboxSort;
  q: string;
  assignee: string | undefined;
  filters: InboxFilterValues & ReportLinkParams;
  /** Names for the report-link filters' chips. */
  agents: { id: number; name: string }[];
  views: (SavedView & { count: ListCount })[];
  /** The counts of 自分の担当 / 未割り当て / 全員 and SLA 警告 / 超過 under the other filters. */
  viewCounts: Record<"me" | "none" | "all" | "warning" | "breached", ListCount>;
  currentQuery: string;
  canShare: boolean;
  departments: { id: number; name: string }[];
  tags: { name: string }[];
}

function InboxPage(p: InboxProps) {
  const { t } = p;
  const link = (over: Record<string, string | number>) => {
    const params = new URLSearchParams({
      status: p.status,
      sort: p.sort,
      ...(p.q ? { q: p.q } : {}),
      ...(p.assignee ? { assignee: p.assignee } : {}),
      ...Object.fromEntries(
        Object.entries(p.filters).filter(([, x]) => x !== undefined).map((
          [k, x],
        ) => [k, String(x)]),
      ),
      ...Object.fromEntries(Object.entries(over).map(([k, v]) => [k, String(v)])),
    });
    return `/?${params}`;
  };
  const { tickets, total, totalCapped, offset, next, prev } = p.list;
  const number = numberFormat(p.locale === "en" ? "en-GB" : "ja-JP");
  const format = (n: number) => number.format(n);
  return (
    <div class="inbox" data-live-inbox={JSON.stringify(liveInboxConfig(t, p.status))}>
      <nav class="folders" aria-label="folders">
        {STATUSES.map((s) => (
          <a
            href={link({ status: s, page: 1 })}
            class={s === p.status ? "active" : ""}
            data-folder={s}
          >
            <span>{t(`status.${s}`)}</span> <span class="count">{p.counts[s]}</span>
          </a>
        ))}
        <a href={link({ status: "all", page: 1 })} class={p.status === "all" ? "active" : ""}>
          {t("status.all")}
        </a>
        {p.pendingApprovals !== null && (
          <a href="/approvals" class="approvals-folder">
            <span>{t("approval.title")}</span> <span class="count">{p.pendingApprovals}</span>
          </a>
        )}
        <hr />
        {(["me", "none", ""] as const).map((a) => (
          <a
            href={link({ assignee: a, page: 1 })}
            class={(p.assignee ?? "") === a ? "view selected" : "view"}
            data-view={a || "all"}
          >
            <span>
              {t(
                a === "me"
                  ? "team.view.mine"
                  : a === "none"
                  ? "team.view.unassigned"
                  : "team.view.all",
              )}
            </span>{" "}
            <span class="count">{viewCount(t, p.viewCounts[a || "all"], format)}</span>
          </a>
        ))}
        {SLA_VIEWS.map((s) => (
          <a
            href={link({ sla: p.filters.sla === s ? "" : s, page: 1 })}
            class={p.filters.sla === s ? `view selected sla-view-${s}` : `view sla-view-${s}`}
            data-view={`sla-${s}`}
          >
            <span>{t(`slaView.${s}`)}</span>{" "}
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
      </nav>
      <section class="list">
        {
          /* The search box searches every folder's messages (routes/search.tsx); ?q= on this page
            stays as a subject/customer filter of the folder for old links. */
        }
        <div class="list-tools">
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
        </div>
        <ReportLinkChips
          t={t}
          values={{ ...p.filters, assignee: p.assignee }}
          agents={p.agents}
          link={link}
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
              {tickets.map((tk) => (
                <tr data-ticket={tk.number} class={slaRowClass(p.sla.get(tk.id))}>
                  <td class="num">{tk.number}</td>
                  <td class="subject">
                    <a href={`/tickets/${tk.number}`}>{tk.subject}</a>
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
                      remainingMs={p.sla.get(tk.id)?.remainingMs ?? null}
                      paused={p.sla.get(tk.id)?.paused ?? false}
                      businessHours={p.sla.get(tk.id)?.businessHours ?? false}
                      dueLabel={p.sla.get(tk.id)?.dueAt
                        ? formatDateTime(p.sla.get(tk.id)!.dueAt!, p.timeZone, p.locale)
                        : undefined}
                    />
                  </td>
                  <td class="age">{elapsed(t, tk.createdAt, p.now)}</td>
                  <td class="updated">{formatDateTime(tk.lastMessageAt, p.timeZone, p.locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <nav class="pager">
          {prev !== null && (
            <a href={link(prev === "" ? {} : { cursor: prev })} rel="prev">{t("inbox.prev")}</a>
          )}
          <span>
            {tickets.length > 0 &&
              `${number.format(offset + 1)}–${number.format(offset + tickets.length)} / `}
            {viewCount(t, { n: total, capped: totalCapped }, format)}
          </span>
          {next !== null && <a href={link({ cursor: next })} rel="next">{t("inbox.next")}</a>}
        </nav>
      </section>
    </div>
  );
}

/**
 * The page a link asks for: by cursor, or by `?page=` from old links, clamped to the last page
 * (and to MAX_PAGE_OFFSET). A cursor that is not ours (edited, or from another order) gives the
 * first page rather than an error.
 */
async function listPage(
  db: Db,
  query: InboxQuery,
  cursor: string | undefined,
  pageParam: string | undefined,
): Promise<TicketPage> {
  if (cursor) {
    try {
      return await listTickets(db, { ...query, cursor });
    } catch (e) {
      if (!(e instanceof BadCursorError)) throw e;
    }
  }
  const page = Math.max(1, Number.parseInt(pageParam ?? "1") || 1);
  const deepest = Math.floor(MAX_PAGE_OFFSET / PER_PAGE) + 1;
  return listTickets(db, { ...query, page: Math.min(page, deepest), clampPage: true });
}

/** The list query of parsed inbox parameters, for this agent (restricted: their departments). */
function listQuery(
  agent: { id: number; departmentIds: number[] | null },
  p: v.InferOutput<typeof InboxQuery>,
  tags: { id: number; name: string }[],
  at: { timeZone: string; now: number },
): InboxQuery {
  const restrictedTo = agent.departmentIds ?? undefined;
  const departmentIds = p.department === undefined
    ? restrictedTo
    : restrictedTo && !restrictedTo.includes(p.department)
    ? []
    : [p.department];
  return {
    status: p.status === "all" ? undefined : p.status,
    sort: p.sort,
    perPage: PER_PAGE,
    search: p.q || undefined,
    departmentIds,
    assignee: p.assignee === "me"
      ? agent.id
      : p.assignee === "none"
      ? "none"
      : p.assignee
      ? Number(p.assignee)
      : undefined,
    tagId: p.tag ? tags.find((g) => g.name === p.tag)?.id ?? -1 : undefined,
    priority: p.priority,
    sla: p.sla,
    now: at.now,
    ...reportLinkFilters(p, at),
  };
}

/** The current inbox query as a view keeps it: without the page or cursor. */
function viewQuery(params: URLSearchParams): string {
  return new URLSearchParams([...params].filter(([k]) => k !== "page" && k !== "cursor"))
    .toString();
}

/** What islands/live_inbox.ts needs: the folder shown and the catalog strings it shows. */
function liveInboxConfig(t: Translate, status: string) {
  return {
    status,
    statusLabels: Object.fromEntries(STATUSES.map((s) => [s, t(`status.${s}`)])),
    writing: t("guard.presence.writing"),
    viewing: t("guard.presence.viewing"),
    drafts: t("guard.drafts"),
    person: t("guard.person"),
    separator: t("guard.separator"),
    changed: t("guard.inbox.changed"),
    reload: t("guard.live.reload"),
  };
}

/** Routes: GET / (the inbox). */
export function inboxRoutes() {
  const app = new Hono<AppEnv>();
  // Hiding the getting-started list is this browser's preference, not the desk's.
  app.post("/onboarding/hide", (c) => {
    setCookie(c, ONBOARDING_COOKIE, "hidden", {
      path: "/",
      httpOnly: true,
      sameSite: "Lax",
      secure: c.get("deps").config.secureCookies,
      maxAge: 365 * 24 * 3600,
    });
    return c.redirect("/", 303);
  });

  app.get("/", async (c) => {
    const { store, now } = c.get("deps");
    const parsed = parseInput(InboxQuery, c.req.query());
    const { status, sort, q, assignee, department, tag, priority, sla: slaView } = parsed;
    const agent = assertAgent(c);
    const restrictedTo = agent.departmentIds ?? undefined;
    const at = { timeZone: c.get("deps").config.timeZone, now: (now ?? Date.now)() };
    const [departments, tags, views, agents] = await Promise.all([
      listDepartments(store.db),
      listTags(store.db),
      listSavedViews(store.db, agent.id),
      listReportAgents(store.db),
    ]);
    const query = listQuery(agent, parsed, tags, at);
    // Every count is from the counters or bounded (db/ticket_list.ts COUNT_CAP).
    const count = (over: Partial<v.InferOutput<typeof InboxQuery>>) =>
      countMatching(store.db, listQuery(agent, { ...parsed, ...over }, tags, at));
    const savedCounts = await Promise.all(views.map((view) =>
      countMatching(
        store.db,
        listQuery(
          agent,
          parseInput(InboxQuery, Object.fromEntries(new URLSearchParams(view.query))),
          tags,
          at,
        ),
      )
    ));
    const [me, none, everyone, warning, breached] = await Promise.all([
      count({ assignee: "me" }),
      count({ assignee: "none" }),
      count({ assignee: undefined }),
      count({ sla: "warning" }),
      count({ sla: "breached" }),
    ]);
    const [counts, list] = await Promise.all([
      countByStatus(store.db, restrictedTo),
      listPage(store.db, query, c.req.query("cursor"), c.req.query("page")),
    ]);
    const sla = await inboxSla(store.db, list.tickets.map((tk) => tk.id), at.now);
    const activity = await inboxActivity(c, list.tickets, at.now);
    const { config } = c.get("deps");
    const onboarding = assertAgent(c).role === "admin" &&
        getCookie(c, ONBOARDING_COOKIE) !== "hidden"
      ? await onboardingState(store.db)
      : null;
    return renderPage(
      c,
      c.get("t")("nav.inbox"),
      <>
        {onboarding && onboardingPending(onboarding) && (
          <Onboarding
            t={c.get("t")}
            state={onboarding}
            address={config.supportAddress}
            smtpHost={new URL(config.publicUrl).hostname}
            smtpPort={config.smtpPort}
          />
        )}
        <InboxPage
          t={c.get("t")}
          locale={c.get("locale")}
          timeZone={displayTimeZone(c)}
          now={at.now}
          sla={sla}
          status={status}
          counts={counts}
          activity={activity}
          pendingApprovals={isApprover(c.get("agent")?.role ?? "")
            ? await countPendingApprovals(store.db)
            : null}
          list={list}
          sort={sort}
          q={q}
          assignee={assignee}
          filters={{
            department,
            tag,
            priority,
            sla: slaView,
            created_from: parsed.created_from,
            created_to: parsed.created_to,
            channel: parsed.channel,
            category: parsed.category,
            due: parsed.due,
            unresolved: parsed.unresolved,
          }}
          viewCounts={{ me, none, all: everyone, warning, breached }}
          agents={agents}
          departments={restrictedTo
            ? departments.filter((d) => restrictedTo.includes(d.id))
            : departments}
          tags={tags}
          views={views.map((view, i) => ({ ...view, count: savedCounts[i] }))}
          currentQuery={viewQuery(new URL(c.req.url).searchParams)}
          canShare={can({ kind: "agent", ...agent }, "views.share")}
        />
      </>,
    );
  });
  return app;
}
