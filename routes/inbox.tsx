/** The inbox: status folders with counts, sorting, search and paging. */
import { Hono } from "hono";
import {
  countByStatus,
  INBOX_SORTS,
  type InboxSort,
  listTickets,
  type TicketSummary,
} from "../db/tickets.ts";
import { STATUSES, type TicketStatus } from "../domain/ticket_status.ts";
import { oneOf, orElse, parseInput, v } from "../domain/validation.ts";
import { pageQuery } from "./params.ts";
import { elapsed, type Translate } from "../domain/i18n/mod.ts";
import { formatDateTime } from "../components/render.tsx";
import { renderPage } from "./render.tsx";
import { type AppEnv, displayTimeZone } from "./state.ts";
import { type InboxSla, inboxSla } from "../db/sla_view.ts";
import { SlaCell } from "../components/SlaPanel.tsx";

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
  tickets: TicketSummary[];
  total: number;
  page: number;
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
  const pages = Math.max(1, Math.ceil(p.total / PER_PAGE));
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
        <form method="get" action="/" class="toolbar">
          <input type="hidden" name="status" value={p.status} />
          <input type="search" name="q" value={p.q} placeholder={t("inbox.search")} />
          <select name="sort">
            <option value="newest" selected={p.sort === "newest"}>{t("inbox.newest")}</option>
            <option value="oldest" selected={p.sort === "oldest"}>{t("inbox.oldest")}</option>
            <option value="due" selected={p.sort === "due"}>{t("inbox.due")}</option>
          </select>
          <button type="submit">{t("inbox.search")}</button>
        </form>
        {p.tickets.length === 0 ? <p class="empty">{t("inbox.empty")}</p> : (
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
              {p.tickets.map((tk) => (
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
          {p.page > 1 && <a href={link({ page: p.page - 1 })}>{t("inbox.prev")}</a>}
          <span>{p.page} / {pages}</span>
          {p.page < pages && <a href={link({ page: p.page + 1 })}>{t("inbox.next")}</a>}
        </nav>
      </section>
    </div>
  );
}

/** Routes: GET / (the inbox). */
export function inboxRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/", async (c) => {
    const { store, now } = c.get("deps");
    const { status, sort, page, q } = parseInput(InboxQuery, c.req.query());
    const [counts, { tickets, total }] = await Promise.all([
      countByStatus(store.db),
      listTickets(store.db, {
        status: status === "all" ? undefined : status,
        sort,
        page,
        perPage: PER_PAGE,
        search: q || undefined,
      }),
    ]);
    const at = (now ?? Date.now)();
    const sla = await inboxSla(store.db, tickets.map((tk) => tk.id), at);
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
        tickets={tickets}
        total={total}
        page={page}
        sort={sort}
        q={q}
      />,
    );
  });
  return app;
}
