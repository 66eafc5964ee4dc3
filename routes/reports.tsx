/** The dashboard, reports and CSV exports of the web UI (any signed-in agent; see services). */
import { Hono } from "hono";
import { listDepartments } from "../db/departments.ts";
import { listReportAgents, listReportCategories } from "../db/report_queries.ts";
import { listTags } from "../db/tags.ts";
import {
  mySubscriptions,
  subscribeReport,
  unsubscribeReport,
} from "../services/report_schedules.ts";
import { REPORT_FREQUENCIES } from "../domain/report/schedule.ts";
import { oneOf, parseInput, v, wholeNumber } from "../domain/validation.ts";
import { ReportSubscriptions } from "../components/ReportSubscriptions.tsx";
import { dashboard, periodReport, scopeFilter, seesTeam } from "../services/reports.ts";
import type { PeriodReportInput } from "../db/period_report.ts";
import { reportCsv, ticketCsvStream } from "../services/exports.ts";
import { DashboardPage } from "../components/DashboardPage.tsx";
import { ReportsPage } from "../components/ReportsPage.tsx";
import { renderPage } from "./render.tsx";
import { keptHtml } from "../components/kept_html.ts";
import { agentOf, type AppEnv, asAgent, assertAgent, type Ctx, nowOf } from "./state.ts";
import { csvHeaders, reportRequest, ticketCsvRequest } from "./report_params.ts";
import { ReportLinkQuery, slaLinkTicketIds } from "./list_filters.ts";

/**
 * The period's report for the signed-in agent, computed on a read worker when the store has them
 * (db/period_report.ts) and kept while nothing is committed (db/read_memo.ts), per scope (the
 * filter as this agent may use it), query and second: everyone opening the same report shares
 * one computation.
 */
function keptReport(c: Ctx, input: Omit<PeriodReportInput, "now">) {
  const { store } = c.get("deps");
  const actor = agentOf(c);
  const now = nowOf(c);
  const scoped = { period: input.period, filter: scopeFilter(actor, input.filter) };
  return store.memo(
    `report\n${JSON.stringify(scoped)}\n${Math.floor(now / 1000)}`,
    () => periodReport(store.reader, actor, { ...scoped, now }, store.report),
  );
}

/** Routes: GET /dashboard, /reports, /reports.csv, /reports/tickets.csv, /tickets.csv. */
export function reportRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/dashboard", async (c) => {
    const { store, config } = c.get("deps");
    const actor = agentOf(c);
    const [data, departments, agents] = await Promise.all([
      dashboard(store.reader, actor, { now: nowOf(c), timeZone: config.timeZone }),
      listDepartments(store.db),
      listReportAgents(store.db),
    ]);
    const t = c.get("t");
    return renderPage(
      c,
      t("dashboard.title"),
      <DashboardPage t={t} data={data} departments={departments} agents={agents} />,
    );
  });

  app.get("/reports", async (c) => {
    const { store, config } = c.get("deps");
    const actor = agentOf(c);
    const [tags, categories] = await Promise.all([
      listTags(store.db),
      listReportCategories(store.db),
    ]);
    const { params, period, filter } = reportRequest(
      c.req.query(),
      nowOf(c),
      config.timeZone,
      tags,
    );
    const team = seesTeam(actor);
    const [report, departments, agents, subscriptions] = await Promise.all([
      keptReport(c, { period, filter }),
      listDepartments(store.db),
      listReportAgents(store.db),
      team ? mySubscriptions(store.db, actor) : Promise.resolve(null),
    ]);
    const t = c.get("t");
    // The report's markup is kept with the kept report (components/kept_html.ts): the same for
    // everyone with the same query, language and lists; the subscription form is the agent's own.
    const variant = JSON.stringify([
      c.get("locale"),
      params,
      team,
      departments,
      agents,
      tags,
      categories,
    ]);
    return renderPage(
      c,
      t("reports.title"),
      keptHtml(
        report,
        variant,
        (slot) => (
          <ReportsPage
            t={t}
            report={report}
            params={params}
            departments={departments}
            agents={agents}
            team={team}
            tags={tags}
            categories={categories}
            subscriptions={slot}
          />
        ),
        subscriptions && (
          <ReportSubscriptions
            t={t}
            subscriptions={subscriptions}
            query={new URL(c.req.url).search.slice(1)}
            params={params}
            departments={departments}
            agents={agents}
            tags={tags}
          />
        ),
      ),
    );
  });

  app.get("/reports.csv", async (c) => {
    const { store, config } = c.get("deps");
    const { params, period, filter } = reportRequest(
      c.req.query(),
      nowOf(c),
      config.timeZone,
      await listTags(store.db),
    );
    const [report, agents] = await Promise.all([
      keptReport(c, { period, filter }),
      listReportAgents(store.db),
    ]);
    const t = c.get("t");
    const names = new Map(agents.map((a) => [a.id, a.name]));
    const body = reportCsv(report, {
      t,
      encoding: params.encoding,
      agentName: (id) => id === null ? t("reports.noAgent") : names.get(id) ?? `#${id}`,
    });
    return c.body(
      body,
      200,
      csvHeaders(`report-${period.from}_${period.to}.csv`, params.encoding),
    );
  });

  app.get("/reports/tickets.csv", async (c) => {
    const { store, config } = c.get("deps");
    const { params, period, filter } = reportRequest(
      c.req.query(),
      nowOf(c),
      config.timeZone,
      await listTags(store.db),
    );
    const stream = ticketCsvStream(store.reader, agentOf(c), {
      query: { report: { fromMs: period.fromMs, toMs: period.toMs, filter } },
      encoding: params.encoding,
      t: c.get("t"),
      timeZone: config.timeZone,
      now: nowOf(c),
    });
    return c.body(
      stream,
      200,
      csvHeaders(`tickets-${period.from}_${period.to}.csv`, params.encoding),
    );
  });

  app.get("/tickets.csv", async (c) => {
    const { store, config } = c.get("deps");
    const agent = assertAgent(c);
    const at = { timeZone: config.timeZone, now: nowOf(c) };
    const { query, encoding } = ticketCsvRequest(c.req.query(), {
      agentId: agent.id,
      tags: await listTags(store.db),
      ...at,
      departmentIds: agent.departmentIds,
      slaTicketIds: await slaLinkTicketIds(
        store.reader,
        parseInput(ReportLinkQuery, c.req.query()),
        at,
      ),
    });
    const stream = ticketCsvStream(store.reader, agentOf(c), {
      query,
      encoding,
      t: c.get("t"),
      timeZone: config.timeZone,
      now: nowOf(c),
    });
    return c.body(stream, 200, csvHeaders("tickets.csv", encoding));
  });
  app.post("/reports/subscriptions", async (c) => {
    const { store, config } = c.get("deps");
    const form = Object.fromEntries(
      Object.entries(await c.req.parseBody()).filter(([, v]) => typeof v === "string"),
    ) as Record<string, string>;
    const { frequency, send_hour } = parseInput(SubscriptionForm, form);
    const { filter } = reportRequest(form, nowOf(c), config.timeZone, await listTags(store.db));
    await asAgent(c, (ctx) => subscribeReport(ctx, { frequency, sendHour: send_hour, filter }));
    return c.redirect(`/reports${backQuery(c)}#subscriptions`, 303);
  });

  app.post("/reports/subscriptions/:id{[0-9]{1,15}}/delete", async (c) => {
    await asAgent(c, (ctx) => unsubscribeReport(ctx, Number(c.req.param("id"))));
    return c.redirect(`/reports${backQuery(c)}#subscriptions`, 303);
  });
  return app;
}

/** A subscription form's fields besides the report's filters. */
const SubscriptionForm = v.object({
  frequency: oneOf(REPORT_FREQUENCIES, { required: true }),
  send_hour: wholeNumber({ min: 0, max: 23, required: true }),
});

/** The report query the subscription forms came from, to go back to. */
function backQuery(c: Ctx): string {
  const search = new URL(c.req.url).search;
  return search.length > 1 ? search : "";
}
