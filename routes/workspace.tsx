/**
 * The agent workspace's panes: the navigation (folders, views, departments, tags with counts) and
 * the ticket list, for the inbox (`/`) and beside an open ticket (`/tickets/:n`). The list beside a
 * ticket is the one the agent last looked at: GET / keeps its query in a cookie (the URL of every
 * redirect after a form stays /tickets/:n, and no Referer is needed).
 */
import type { ComponentChildren, VNode } from "preact";
import { getCookie, setCookie } from "hono/cookie";
import {
  BadCursorError,
  countByStatus,
  countMatching,
  INBOX_SORTS,
  type InboxQuery,
  listTickets,
  MAX_PAGE_OFFSET,
  SLA_VIEWS,
  type TicketPage,
} from "../db/ticket_list.ts";
import { reportLinkFilters, ReportLinkQuery, slaLinkTicketIds } from "./list_filters.ts";
import { listReportAgents } from "../db/report_queries.ts";
import { STATUSES } from "../domain/ticket_status.ts";
import { oneOf, orElse, parseInput, text, v, wholeNumber } from "../domain/validation.ts";
import { PRIORITIES } from "../domain/priority.ts";
import { listDepartments } from "../db/departments.ts";
import { listTags } from "../db/tags.ts";
import { listSavedViews } from "../db/saved_views.ts";
import { countByDepartment, countByTag } from "../db/nav_counts.ts";
import { countPendingApprovals } from "../db/approvals.ts";
import { isApprover } from "../domain/approval.ts";
import { can } from "../domain/permissions.ts";
import type { Translate } from "../domain/i18n/mod.ts";
import type { Db } from "../db/client.ts";
import { inboxSla } from "../db/sla_view.ts";
import { inboxActivity } from "./inbox_activity.ts";
import { pageQuery } from "./params.ts";
import { assertAgent, type Ctx, displayTimeZone } from "./state.ts";
import { FolderNav, MoreNav, type WorkspaceNavProps } from "../components/WorkspaceNav.tsx";
import { TicketList, type TicketListProps } from "../components/TicketList.tsx";
import { keptHtml } from "../components/kept_html.ts";

const PER_PAGE = 50;

/** The last list query shown at `/`, for the list beside a ticket. */
const LIST_COOKIE = "madoguchi_list";

/** The inbox's query string; a hand-edited or stale link falls back instead of failing. */
const ListParams = v.object({
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
type ListParams = v.InferOutput<typeof ListParams>;

/**
 * The page a link asks for: by cursor, or by `?page=` from old links, clamped to the last page
 * (and to MAX_PAGE_OFFSET). A cursor that is not ours (edited, or from another order) gives the
 * first page rather than an error.
 */
async function listPage(
  db: Db,
  walker: Db,
  query: InboxQuery,
  cursor: string | undefined,
  pageParam: string | undefined,
): Promise<TicketPage> {
  if (cursor) {
    try {
      return await listTickets(db, { ...query, cursor }, { walker });
    } catch (e) {
      if (!(e instanceof BadCursorError)) throw e;
    }
  }
  const page = Math.max(1, Number.parseInt(pageParam ?? "1") || 1);
  const deepest = Math.floor(MAX_PAGE_OFFSET / PER_PAGE) + 1;
  return listTickets(db, { ...query, page: Math.min(page, deepest), clampPage: true }, {
    walker,
  });
}

/** The list query of parsed inbox parameters, for this agent (restricted: their departments). */
function listQuery(
  agent: { id: number; departmentIds: number[] | null },
  p: ListParams,
  tags: { id: number; name: string }[],
  at: { timeZone: string; now: number; slaTicketIds?: number[] },
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
    ...reportLinkFilters(p, { ...at, agentId: agent.id }),
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

export interface WorkspacePanes {
  nav: WorkspaceNavProps;
  list: TicketListProps;
  status: string;
}

/** The list's parameters: `/`'s query string, or beside a ticket the last list the agent saw. */
export function listParamsOf(c: Ctx, besideTicket: boolean): URLSearchParams {
  if (!besideTicket) {
    const params = new URL(c.req.url).searchParams;
    const kept = viewQuery(params);
    setCookie(c, LIST_COOKIE, kept, {
      path: "/",
      httpOnly: true,
      sameSite: "Lax",
      secure: c.get("deps").config.secureCookies,
    });
    return params;
  }
  return new URLSearchParams(getCookie(c, LIST_COOKIE) ?? "");
}

/**
 * Loads both panes for `params` (cursor and page included): kept while nothing is committed
 * (db/read_memo.ts), per agent, locale, zone, query and second (SLA states and presence move with
 * time alone). Fifty requests for the same folder read it once.
 */
export function loadPanes(c: Ctx, params: URLSearchParams): Promise<WorkspacePanes> {
  const { store, now } = c.get("deps");
  const at = (now ?? Date.now)();
  const key = [
    "panes",
    assertAgent(c).id,
    c.get("locale"),
    displayTimeZone(c),
    Math.floor(at / 1000),
    params.toString(),
  ].join("\n");
  return store.memo(key, () => readPanes(c, params));
}

async function readPanes(c: Ctx, params: URLSearchParams): Promise<WorkspacePanes> {
  const { store, now } = c.get("deps");
  const db = store.db;
  const parsed = parseInput(ListParams, Object.fromEntries(params));
  const { status, sort, q, assignee, department, tag, priority } = parsed;
  const agent = assertAgent(c);
  const t = c.get("t");
  const restrictedTo = agent.departmentIds ?? undefined;
  const at0 = { timeZone: c.get("deps").config.timeZone, now: (now ?? Date.now)() };
  const [departments, tags, views, agents] = await Promise.all([
    listDepartments(db),
    listTags(db),
    listSavedViews(db, agent.id),
    listReportAgents(db),
  ]);
  const at = {
    ...at0,
    slaTicketIds: await slaLinkTicketIds(store.reader, parsed, at0),
  };
  const query = listQuery(agent, parsed, tags, at);
  const folder = status === "all" ? undefined : status;
  // Every count is from the counters or bounded (db/ticket_list.ts COUNT_CAP).
  const count = (over: Partial<ListParams>) =>
    countMatching(db, listQuery(agent, { ...parsed, ...over }, tags, at));
  const [savedCounts, counts, list, viewCounts, byDepartment, byTag] = await Promise.all([
    Promise.all(views.map((view) =>
      countMatching(
        db,
        listQuery(
          agent,
          parseInput(ListParams, Object.fromEntries(new URLSearchParams(view.query))),
          tags,
          // A saved view's own SLA link is not computed here (its list counts none).
          at0,
        ),
      )
    )),
    countByStatus(db, restrictedTo),
    listPage(
      db,
      store.reader,
      query,
      params.get("cursor") ?? undefined,
      params.get("page") ?? undefined,
    ),
    Promise.all([
      count({ assignee: "me" }),
      count({ assignee: "none" }),
      count({ assignee: undefined }),
      count({ sla: "warning" }),
      count({ sla: "breached" }),
    ]).then(([me, none, all, warning, breached]) => ({ me, none, all, warning, breached })),
    countByDepartment(db, folder),
    countByTag(db, folder, restrictedTo),
  ]);
  const [sla, activity] = await Promise.all([
    inboxSla(db, list.tickets.map((tk) => tk.id), at.now),
    inboxActivity(c, list.tickets, at.now),
  ]);
  const filters = {
    department,
    tag,
    priority,
    sla: parsed.sla,
    created_from: parsed.created_from,
    created_to: parsed.created_to,
    channel: parsed.channel,
    category: parsed.category,
    due: parsed.due,
    unresolved: parsed.unresolved,
    replied_from: parsed.replied_from,
    replied_to: parsed.replied_to,
    replied_by: parsed.replied_by,
    reopened: parsed.reopened,
    created_dow: parsed.created_dow === undefined ? undefined : String(parsed.created_dow),
    created_hour: parsed.created_hour === undefined ? undefined : String(parsed.created_hour),
    sla_result: parsed.sla_result,
  };
  // Links keep every filter of the list (report links' too) and change what `over` says.
  const link = (over: Record<string, string | number>) => {
    const base: Record<string, string> = {
      status,
      sort,
      ...(q ? { q } : {}),
      ...(assignee ? { assignee } : {}),
    };
    for (const [k, x] of Object.entries(filters)) if (x !== undefined) base[k] = String(x);
    for (const [k, x] of Object.entries(over)) base[k] = String(x);
    const kept = Object.entries(base).filter(([, x]) => x !== "");
    return `/?${new URLSearchParams(kept)}`;
  };
  const visibleDepartments = restrictedTo
    ? departments.filter((d) => restrictedTo.includes(d.id))
    : departments;

  return {
    status,
    nav: {
      t,
      locale: c.get("locale"),
      link,
      status,
      assignee,
      department,
      tag,
      counts,
      pendingApprovals: isApprover(agent.role) ? await countPendingApprovals(db) : null,
      sla: parsed.sla,
      viewCounts,
      views: views.map((view, i) => ({ ...view, count: savedCounts[i] })),
      currentQuery: viewQuery(params),
      canShare: can({ kind: "agent", ...agent }, "views.share"),
      departments: visibleDepartments.map((d) => ({
        id: d.id,
        name: d.name,
        count: byDepartment.get(d.id) ?? 0,
      })),
      tags: tags.map((g) => ({ name: g.name, color: g.color, count: byTag.get(g.id) ?? 0 })),
    },
    list: {
      t,
      locale: c.get("locale"),
      timeZone: displayTimeZone(c),
      now: at.now,
      link,
      status,
      sort,
      q,
      assignee,
      filters,
      agents,
      departments: visibleDepartments,
      tags,
      list,
      sla,
      activity,
    },
  };
}

/**
 * The frame: folders and more navigation, the list, and the open ticket when there is one. On a
 * phone the ticket page shows the ticket alone (the panes stay in the page, hidden by CSS).
 */
export function Workspace(
  { panes, banner, openNumber, children }: {
    panes: WorkspacePanes;
    banner?: ComponentChildren;
    openNumber?: number;
    children?: ComponentChildren;
  },
): VNode {
  const t = panes.nav.t;
  return (
    <div
      class={children ? "workspace has-ticket" : "workspace"}
      data-live-inbox={JSON.stringify(liveInboxConfig(t, panes.status))}
    >
      {
        // The panes' markup is kept with the kept panes (components/kept_html.ts), per open
        // ticket: most of an inbox page's rendering, done once for everyone reading the same
        // folder in the same second. The banner goes into its slot on every view.
        keptHtml(
          panes,
          String(openNumber ?? 0),
          (slot) => <Panes panes={panes} openNumber={openNumber} banner={slot} />,
          banner || null,
        )
      }
      {children && <div class="ws-detail">{children}</div>}
    </div>
  );
}

function Panes(
  { panes, banner, openNumber }: {
    panes: WorkspacePanes;
    banner?: ComponentChildren;
    openNumber?: number;
  },
) {
  return (
    <>
      <FolderNav {...panes.nav} />
      <TicketList {...panes.list} banner={banner} openNumber={openNumber} />
      <MoreNav {...panes.nav} />
    </>
  );
}
