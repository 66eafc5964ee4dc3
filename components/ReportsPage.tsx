/** The reports page: period and filters, headline figures, charts with their numbers. */
import { formatBusinessDuration, type MessageKey, type Translate } from "../domain/i18n/mod.ts";
import type { ReportSummary } from "../domain/report/summary.ts";
import { PERIOD_PRESETS } from "../domain/report/period.ts";
import { ColumnChart } from "./charts/ColumnChart.tsx";
import { HeatMap } from "./charts/HeatMap.tsx";
import { BarList } from "./charts/BarList.tsx";
import { type FigureLink, inboxLink } from "../domain/report/links.ts";
import type { ComponentChildren } from "preact";

/** The report's query as the form shows it. */
export interface ReportParams {
  period: string;
  from?: string;
  to?: string;
  department_id?: number;
  agent_id?: number;
  channel?: string;
  tag?: string;
  category?: string;
}

export interface ReportsPageProps {
  t: Translate;
  report: ReportSummary;
  params: ReportParams;
  departments: { id: number; name: string }[];
  agents: { id: number; name: string }[];
  /** Whether the agent filter is offered (supervisors); agents see their own. */
  team: boolean;
  tags: { name: string }[];
  /** Web form categories tickets came in with. */
  categories: string[];
  /** The scheduled-report form and the actor's subscriptions (supervisors only). */
  subscriptions?: ComponentChildren;
}

/** Minutes as "1時間20分", or a dash when there is nothing to measure. */
export function minutes(t: Translate, value: number | null): string {
  return value === null ? t("reports.none") : formatBusinessDuration(t, value * 60_000);
}

function pct(t: Translate, value: number | null): string {
  return value === null ? t("reports.none") : `${value}%`;
}

const MARK = "\u0001";

/**
 * A catalog sentence with some of its numbers as links: the sentence is translated with markers
 * in place of those values, then split on them.
 */
function withLinks(
  t: Translate,
  key: MessageKey,
  vars: Record<string, number>,
  links: Record<string, string>,
): ComponentChildren {
  const marked = Object.fromEntries(
    Object.entries(vars).map(([k, x]) => [k, k in links ? `${MARK}${k}${MARK}` : x]),
  );
  return t(key, marked).split(MARK).map((part, i) =>
    i % 2 === 1 ? <a key={i} href={links[part]}>{vars[part]}</a> : part
  );
}

/** The query string of this report with some parameters replaced. */
function query(p: ReportParams, over: Record<string, string>): string {
  const entries: [string, string][] = [["period", p.period]];
  if (p.period === "custom" && p.from) entries.push(["from", p.from]);
  if (p.period === "custom" && p.to) entries.push(["to", p.to]);
  if (p.department_id) entries.push(["department_id", String(p.department_id)]);
  if (p.agent_id) entries.push(["agent_id", String(p.agent_id)]);
  if (p.channel) entries.push(["channel", p.channel]);
  if (p.tag) entries.push(["tag", p.tag]);
  if (p.category) entries.push(["category", p.category]);
  const params = new URLSearchParams(entries);
  for (const [k, v] of Object.entries(over)) params.set(k, v);
  return params.toString();
}

/** Seconds as "12分", "1時間5分", "40秒", or a dash. */
export function seconds(t: Translate, value: number | null): string {
  if (value === null) return t("reports.none");
  if (value < 60) return t("reportMore.seconds", { n: value });
  return formatBusinessDuration(t, Math.round(value / 60) * 60_000);
}

export function ReportsPage(p: ReportsPageProps) {
  const { t, report: r } = p;
  // Each figure links to its tickets: the period as a creation range, with the report's filters.
  const base: FigureLink = {
    created: { from: r.from, to: r.to },
    departmentId: p.params.department_id,
    // An agent's report is pinned to their own tickets.
    assignee: p.team ? p.params.agent_id : "me",
    channel: p.params.channel,
    tag: p.params.tag,
    category: p.params.category,
  };
  // Replies count for whoever wrote them, on tickets of any age: the period is the replies'.
  const replied = (by: number | "me" | undefined): string =>
    inboxLink({
      departmentId: base.departmentId,
      channel: base.channel,
      tag: base.tag,
      category: base.category,
      replied: { from: r.from, to: r.to },
      repliedBy: by,
    });
  const agentName = (id: number | null) =>
    id === null ? t("reports.noAgent") : p.agents.find((a) => a.id === id)?.name ?? `#${id}`;
  const days = r.by_day.map((d) => d.date.slice(5));
  return (
    <div class="reports">
      <h1>{t("reports.title")}</h1>
      <form method="get" action="/reports" class="report-filters">
        <fieldset class="periods">
          <legend>{t("reports.period")}</legend>
          {PERIOD_PRESETS.map((preset) => (
            <label>
              <input
                type="radio"
                name="period"
                value={preset}
                checked={p.params.period === preset}
              />
              {t(`reports.period.${preset}` as MessageKey)}
            </label>
          ))}
          <label>
            {t("reports.from")} <input type="date" name="from" value={r.from} />
          </label>
          <label>
            {t("reports.to")} <input type="date" name="to" value={r.to} />
          </label>
        </fieldset>
        <label>
          {t("reports.department")}
          <select name="department_id">
            <option value="">{t("reports.all")}</option>
            {p.departments.map((d) => (
              <option value={d.id} selected={p.params.department_id === d.id}>{d.name}</option>
            ))}
          </select>
        </label>
        {p.team && (
          <label>
            {t("reports.agent")}
            <select name="agent_id">
              <option value="">{t("reports.all")}</option>
              {p.agents.map((a) => (
                <option value={a.id} selected={p.params.agent_id === a.id}>{a.name}</option>
              ))}
            </select>
          </label>
        )}
        <label>
          {t("reports.channel")}
          <select name="channel">
            <option value="">{t("reports.all")}</option>
            {["mail", "web", "api", "phone", "chat"].map((c) => (
              <option value={c} selected={p.params.channel === c}>{c}</option>
            ))}
          </select>
        </label>
        {p.tags.length > 0 && (
          <label>
            {t("reportMore.tag")}
            <select name="tag">
              <option value="">{t("reports.all")}</option>
              {p.tags.map((g) => (
                <option value={g.name} selected={p.params.tag === g.name}>{g.name}</option>
              ))}
            </select>
          </label>
        )}
        {p.categories.length > 0 && (
          <label>
            {t("reportMore.category")}
            <select name="category">
              <option value="">{t("reports.all")}</option>
              {p.categories.map((c) => (
                <option value={c} selected={p.params.category === c}>{c}</option>
              ))}
            </select>
          </label>
        )}
        <button type="submit">{t("reports.show")}</button>
        <a class="button secondary" href={`/reports.csv?${query(p.params, {})}`}>
          {t("reports.csv")}
        </a>
        <a
          class="button secondary"
          href={`/reports.csv?${query(p.params, { encoding: "shift_jis" })}`}
        >
          {t("reports.csvSjis")}
        </a>
      </form>

      <p class="period-line">{r.from} – {r.to}</p>
      <div class="kpis">
        <div class="kpi">
          <span class="kpi-label">{t("reports.received")}</span>
          <a class="kpi-value" href={inboxLink(base)}>{r.received}</a>
          <a class="kpi-note" href={`/reports/tickets.csv?${query(p.params, {})}`}>
            {t("reports.ticketsCsv")}
          </a>
        </div>
        <div class="kpi">
          <span class="kpi-label">{t("reports.replied")}</span>
          <a class="kpi-value" href={replied(p.team ? p.params.agent_id : "me")}>{r.replied}</a>
        </div>
        <div class="kpi">
          <span class="kpi-label">{t("reports.sla")} ({t("reports.firstResponse")})</span>
          <span class="kpi-value">{pct(t, r.sla.first_response_pct)}</span>
          <span class="kpi-note">
            {withLinks(t, "reportLinks.slaMetBreached", {
              met: r.sla.first_response_met,
              breached: r.sla.first_response_total - r.sla.first_response_met,
            }, {
              met: inboxLink({ ...base, slaResult: "first_met" }),
              breached: inboxLink({ ...base, slaResult: "first_breached" }),
            })}
          </span>
        </div>
        <div class="kpi">
          <span class="kpi-label">{t("reports.sla")} ({t("reports.resolution")})</span>
          <span class="kpi-value">{pct(t, r.sla.resolution_pct)}</span>
          <span class="kpi-note">
            {withLinks(t, "reportLinks.slaMetBreached", {
              met: r.sla.resolution_met,
              breached: r.sla.resolution_total - r.sla.resolution_met,
            }, {
              met: inboxLink({ ...base, slaResult: "resolution_met" }),
              breached: inboxLink({ ...base, slaResult: "resolution_breached" }),
            })}
          </span>
        </div>
        <div class="kpi">
          <span class="kpi-label">{t("reportMore.handlingMedian")}</span>
          <span class="kpi-value">{seconds(t, r.handling.median_seconds)}</span>
          <span class="kpi-note">
            {t("reportMore.handlingOf", {
              replies: r.handling.replies,
              total: r.handling.replies ? seconds(t, r.handling.total_seconds) : t("reports.none"),
            })}
          </span>
        </div>
        <div class="kpi">
          <span class="kpi-label">{t("reports.reopenRate")}</span>
          <span class="kpi-value">{pct(t, r.reopen_rate_pct)}</span>
          <span class="kpi-note">
            {withLinks(t, "reports.reopenOf", { reopened: r.reopened, resolved: r.resolved }, {
              reopened: inboxLink({ ...base, reopened: true }),
            })}
          </span>
        </div>
      </div>

      <div class="durations-scroll">
        <table class="numbers durations">
          <thead>
            <tr>
              <th></th>
              <th scope="col">{t("reports.median")} ({t("reports.business")})</th>
              <th scope="col">{t("reports.p90")} ({t("reports.business")})</th>
              <th scope="col">{t("reports.median")} ({t("reports.wall")})</th>
              <th scope="col">{t("reports.p90")} ({t("reports.wall")})</th>
            </tr>
          </thead>
          <tbody>
            {([["reports.firstResponse", r.first_response], [
              "reports.resolution",
              r.resolution,
            ]] as const)
              .map(([key, s]) => (
                <tr>
                  <th scope="row">{t(key)}</th>
                  <td class="num">{minutes(t, s.business_median_minutes)}</td>
                  <td class="num">{minutes(t, s.business_p90_minutes)}</td>
                  <td class="num">{minutes(t, s.median_minutes)}</td>
                  <td class="num">{minutes(t, s.p90_minutes)}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </div>

      <section>
        <h2>{t("reports.byDay")}</h2>
        <ColumnChart
          id="by-day"
          title={t("reports.byDay")}
          labels={days}
          labelHeader={t("reports.date")}
          tableCaption={t("reports.chartTable")}
          series={[
            {
              name: t("reports.received"),
              className: "chart-a",
              values: r.by_day.map((d) => d.received),
              hrefs: r.by_day.map((d) =>
                inboxLink({ ...base, created: { from: d.date, to: d.date } })
              ),
            },
            {
              name: t("reports.replied"),
              className: "chart-b",
              values: r.by_day.map((d) => d.replied),
            },
          ]}
        />
      </section>

      <div class="report-columns">
        <section class="by-agent">
          <h2>{t("reports.byAgent")}</h2>
          <BarList
            caption={t("reports.byAgent")}
            headers={[
              t("reports.agent"),
              t("reports.tickets"),
              t("reports.firstResponseMedian"),
              t("reportMore.handlingMedian"),
              t("reportMore.handlingTotal"),
              t("reports.replies"),
              "",
            ]}
            empty={t("reports.none")}
            rows={r.by_agent.map((a) => ({
              label: agentName(a.agent_id),
              href: p.team && a.agent_id !== null
                ? `/reports?${query(p.params, { agent_id: String(a.agent_id) })}`
                : undefined,
              cells: [
                <a key="tickets" href={inboxLink({ ...base, assignee: a.agent_id ?? "none" })}>
                  {a.tickets}
                </a>,
                minutes(t, a.first_response_median_minutes),
                seconds(t, a.handling.median_seconds),
                a.handling.replies ? seconds(t, a.handling.total_seconds) : t("reports.none"),
              ],
              value: a.replies,
              display: a.agent_id === null
                ? undefined
                : <a href={replied(p.team ? a.agent_id : "me")}>{a.replies}</a>,
            }))}
          />
        </section>
        <section>
          <h2>{t("reports.terms")}</h2>
          <BarList
            caption={t("reports.terms")}
            headers={[t("reports.term"), t("reports.count"), ""]}
            empty={t("reports.none")}
            rows={r.top_terms.map((w) => ({
              label: w.term,
              value: w.count,
              href: `/?${new URLSearchParams({ status: "all", q: w.term })}`,
            }))}
          />
        </section>
      </div>

      <div class="report-columns">
        <section>
          <h2>{t("reportMore.categories")}</h2>
          <BarList
            caption={t("reportMore.categories")}
            headers={[t("reportMore.category"), t("reports.count"), ""]}
            empty={t("reports.none")}
            rows={r.top_categories.map((c) => ({
              label: c.category,
              value: c.count,
              href: inboxLink({ ...base, category: c.category }),
            }))}
          />
        </section>
        <section>
          <h2>{t("reportMore.tags")}</h2>
          <BarList
            caption={t("reportMore.tags")}
            headers={[t("reportMore.tag"), t("reports.count"), ""]}
            empty={t("reports.none")}
            rows={r.top_tags.map((g) => ({
              label: g.name,
              value: g.count,
              href: inboxLink({ ...base, tag: g.name }),
            }))}
          />
        </section>
      </div>

      <section>
        <h2>{t("reports.heatmap")}</h2>
        <HeatMap
          id="heatmap"
          title={t("reports.heatmap")}
          rows={[1, 2, 3, 4, 5, 6, 7].map((d) => t(`reports.weekday.${d}` as MessageKey))}
          values={r.heatmap}
          hourLabel={t("reports.hour")}
          href={(row, hour) => inboxLink({ ...base, heatCell: { weekday: row + 1, hour } })}
          tableCaption={t("reports.chartTable")}
        />
      </section>
      {p.subscriptions}
    </div>
  );
}
