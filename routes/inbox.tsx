/** The inbox: status folders with counts, sorting, search and paging. */
import { Hono } from "hono";
import {
  BadCursorError,
  countByStatus,
  INBOX_SORTS,
  type InboxQuery,
  type InboxSort,
  listTickets,
  MAX_PAGE_OFFSET,
  type TicketPage,
} from "../db/ticket_list.ts";
import { STATUSES, type TicketStatus } from "../domain/ticket_status.ts";
import { oneOf, orElse, parseInput, v } from "../domain/validation.ts";
import { pageQuery } from "./params.ts";
import { elapsed, type Translate } from "../domain/i18n/mod.ts";
import { formatDateTime } from "../components/render.tsx";
import { renderPage } from "./render.tsx";
import { type AppEnv, displayTimeZone } from "./state.ts";
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
  list: TicketPage;
  sort: InboxSort;
  q: string;
}

function InboxPage(p: InboxProps) {
  const { t } = p;
  const link = (over: Record<string, string | number>) => {
    const params = new URLSearchParams({
      status: p.status,
      sort: p.sort,
      ...(p.q ? { q: p.q } : {}),
      ...Object.fromEntries(Object.entries(over).map(([k, v]) => [k, String(v)])),
    });
    return `/?${params}`;
  };
  const { tickets, total, offset, next, prev } = p.list;
  const number = numberFormat(p.locale === "en" ? "en-GB" : "ja-JP");
  return (
    <div class="inbox">
      <nav class="folders" aria-label="folders">
        {STATUSES.map((s) => (
          <a href={link({ status: s, page: 1 })} class={s === p.status ? "active" : ""}>
            <span>{t(`status.${s}`)}</span> <span class="count">{p.counts[s]}</span>
          </a>
        ))}
        <a href={link({ status: "all", page: 1 })} class={p.status === "all" ? "active" : ""}>
          {t("status.all")}
        </a>
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
            />
            <button type="submit">{t("inbox.search")}</button>
          </form>
          <form method="get" action="/" class="toolbar">
            <input type="hidden" name="status" value={p.status} />
            {p.q && <input type="hidden" name="q" value={p.q} />}
            <select name="sort">
              <option value="newest" selected={p.sort === "newest"}>{t("inbox.newest")}</option>
              <option value="oldest" selected={p.sort === "oldest"}>{t("inbox.oldest")}</option>
              <option value="due" selected={p.sort === "due"}>{t("inbox.due")}</option>
            </select>
            <button type="submit">{t("search.applySort")}</button>
          </form>
        </div>
        {tickets.length === 0 ? <p class="empty">{t("inbox.empty")}</p> : (
          <table class="tickets">
            <thead>
              <tr>
                <th>#</th>
                <th>{t("inbox.subject")}</th>
                <th>{t("inbox.customer")}</th>
                <th>{t("inbox.status")}</th>
                <th>{t("inbox.sla")}</th>
                <th>{t("inbox.elapsed")}</th>
                <th>{t("inbox.updated")}</th>
              </tr>
            </thead>
            <tbody>
              {tickets.map((tk) => (
                <tr data-ticket={tk.number} class={slaRowClass(p.sla.get(tk.id))}>
                  <td class="num">{tk.number}</td>
                  <td>
                    <a href={`/tickets/${tk.number}`}>{tk.subject}</a>
                    {tk.messageCount > 1 && <span class="muted">({tk.messageCount})</span>}
                  </td>
                  <td title={tk.customerEmail}>
                    <a href={`/customers/${tk.customerId}`}>{tk.customerName}</a>
                  </td>
                  <td>
                    <span class={`badge status-${tk.status}`}>{t(`status.${tk.status}`)}</span>
                  </td>
                  <td class="sla">
                    <SlaCell
                      t={t}
                      remainingMs={p.sla.get(tk.id)?.remainingMs ?? null}
                      paused={p.sla.get(tk.id)?.paused ?? false}
                    />
                  </td>
                  <td>{elapsed(t, tk.createdAt, p.now)}</td>
                  <td>{formatDateTime(tk.lastMessageAt, p.timeZone, p.locale)}</td>
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
            {number.format(total)}
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

/** Routes: GET / (the inbox). */
export function inboxRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/", async (c) => {
    const { store, now } = c.get("deps");
    const { status, sort, q } = parseInput(InboxQuery, c.req.query());
    const query = {
      status: status === "all" ? undefined : status,
      sort,
      perPage: PER_PAGE,
      search: q || undefined,
    };
    const [counts, list] = await Promise.all([
      countByStatus(store.db),
      listPage(store.db, query, c.req.query("cursor"), c.req.query("page")),
    ]);
    const at = (now ?? Date.now)();
    const sla = await inboxSla(store.db, list.tickets.map((tk) => tk.id), at);
    return renderPage(
      c,
      c.get("t")("nav.inbox"),
      <InboxPage
        t={c.get("t")}
        locale={c.get("locale")}
        timeZone={displayTimeZone(c)}
        now={at}
        sla={sla}
        status={status}
        counts={counts}
        list={list}
        sort={sort}
        q={q}
      />,
    );
  });
  return app;
}
