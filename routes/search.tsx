/** GET /search: full-text search across every folder, with filters and highlighted snippets. */
import { Hono } from "hono";
import { listDepartments } from "../db/departments.ts";
import type { Department } from "../db/departments.ts";
import { STATUSES } from "../domain/ticket_status.ts";
import type { Translate } from "../domain/i18n/mod.ts";
import { parseInput } from "../domain/validation.ts";
import { numberFormat } from "../domain/intl_cache.ts";
import { formatDateTime } from "../components/render.tsx";
import { type SearchPage, searchTickets } from "../services/search.ts";
import { renderPage } from "./render.tsx";
import { type AppEnv, assertAgent, displayTimeZone } from "./state.ts";
import { LenientSearchQuery, searchInput, type SearchParams } from "./search_query.ts";

const CHANNELS = ["email", "web", "api"] as const;

interface SearchPageProps {
  t: Translate;
  locale: string;
  timeZone: string;
  params: SearchParams;
  departments: Department[];
  result: SearchPage | null;
}

function SearchView(p: SearchPageProps) {
  const { t, params, result } = p;
  const q = params.q ?? "";
  const link = (page: number) => {
    const entries = Object.entries({ ...params, page: String(page) })
      .filter(([, v]) => v !== undefined && v !== "")
      .map(([k, v]) => [k, String(v)]);
    return `/search?${new URLSearchParams(entries)}`;
  };
  const number = numberFormat(p.locale === "en" ? "en-GB" : "ja-JP");
  return (
    <div class="search-page">
      <form method="get" action="/search" class="search-form">
        <div class="search-line">
          <input
            type="search"
            name="q"
            value={q}
            placeholder={t("search.placeholder")}
            aria-label={t("search.title")}
          />
          <button type="submit">{t("search.submit")}</button>
        </div>
        <div class="search-filters">
          <select name="status" aria-label={t("search.status")}>
            <option value="">{t("search.anyStatus")}</option>
            {STATUSES.map((s) => (
              <option value={s} selected={params.status === s}>{t(`status.${s}`)}</option>
            ))}
          </select>
          <select name="department_id" aria-label={t("search.department")}>
            <option value="">{t("search.anyDepartment")}</option>
            {p.departments.map((d) => (
              <option value={d.id} selected={params.department_id === d.id}>{d.name}</option>
            ))}
          </select>
          <select name="channel" aria-label={t("search.channel")}>
            <option value="">{t("search.anyChannel")}</option>
            {CHANNELS.map((ch) => (
              <option value={ch} selected={params.channel === ch}>
                {t(`search.channel.${ch}`)}
              </option>
            ))}
          </select>
          <label>
            {t("search.from")} <input type="date" name="from" value={params.from ?? ""} />
          </label>
          <label>
            {t("search.to")} <input type="date" name="to" value={params.to ?? ""} />
          </label>
          <label>
            <input
              type="checkbox"
              name="has_attachment"
              value="1"
              checked={params.has_attachment === "1" || params.has_attachment === "true"}
            />{" "}
            {t("search.hasAttachment")}
          </label>
          <select name="sort" aria-label={t("search.sort")}>
            <option value="newest" selected={params.sort !== "relevance"}>
              {t("search.newest")}
            </option>
            <option value="relevance" selected={params.sort === "relevance"}>
              {t("search.relevance")}
            </option>
          </select>
        </div>
        <p class="muted small">{t("search.help")}</p>
      </form>
      {result && !result.searched && q !== "" && <p class="empty">{t("search.enterWords")}</p>}
      {result?.searched && result.total === 0 && (
        <div class="empty">
          <p>{t("search.noHits", { q })}</p>
          <p class="small">{t("search.noHitsHint")}</p>
        </div>
      )}
      {result?.searched && result.total > 0 && (
        <>
          <p class="search-count">
            {t(
              result.total >= result.totalLimit || !result.totalExact
                ? "search.countMore"
                : "search.count",
              {
                q,
                count: number.format(result.total),
              },
            )}
          </p>
          <ol class="search-results">
            {result.results.map((r) => (
              <li data-ticket={r.ticket.number}>
                <div class="search-head">
                  <a href={`/tickets/${r.ticket.number}#m${r.messageId}`}>
                    <span class="muted">#{r.ticket.number}</span> {r.ticket.subject}
                  </a>{" "}
                  <span class={`badge status-${r.ticket.status}`}>
                    {t(`status.${r.ticket.status}` as `status.new`)}
                  </span>
                </div>
                {/* Escaped, then marked: domain/search_text.ts snippetHtml. */}
                <p class="snippet" dangerouslySetInnerHTML={{ __html: r.snippet }} />
                <div class="muted small">
                  {t(`search.direction.${r.direction}` as "search.direction.in")} ·{" "}
                  {r.customer.name || r.customer.email} ·{" "}
                  {formatDateTime(r.createdAt, p.timeZone, p.locale)}
                </div>
              </li>
            ))}
          </ol>
          <nav class="pager">
            {result.page > 1 && <a href={link(result.page - 1)} rel="prev">{t("search.prev")}</a>}
            <span>{t("search.page", { page: result.page })}</span>
            {result.hasNext && <a href={link(result.page + 1)} rel="next">{t("search.next")}</a>}
          </nav>
        </>
      )}
    </div>
  );
}

/** Routes: GET /search. */
export function searchRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/", async (c) => {
    const { store } = c.get("deps");
    const params = parseInput(LenientSearchQuery, c.req.query());
    const timeZone = displayTimeZone(c);
    const q = params.q?.trim() ?? "";
    const [departments, result] = await Promise.all([
      listDepartments(store.db),
      q
        ? searchTickets(store.reader, searchInput(params, timeZone, assertAgent(c)))
        : Promise.resolve(null),
    ]);
    const t = c.get("t");
    return renderPage(
      c,
      q ? `${q} - ${t("search.title")}` : t("search.title"),
      <SearchView
        t={t}
        locale={c.get("locale")}
        timeZone={timeZone}
        params={params}
        departments={departments}
        result={result}
      />,
    );
  });
  return app;
}
