/** The dashboard, reports and CSV exports of the web UI (any signed-in agent; see services). */
import { Hono } from "hono";
import { listDepartments } from "../db/departments.ts";
import { listReportAgents } from "../db/report_queries.ts";
import { dashboard, periodReport, seesTeam } from "../services/reports.ts";
import { reportCsv, ticketCsvStream } from "../services/exports.ts";
import { DashboardPage } from "../components/DashboardPage.tsx";
import { ReportsPage } from "../components/ReportsPage.tsx";
import { renderPage } from "./render.tsx";
import { agentOf, type AppEnv, nowOf } from "./state.ts";
import { csvHeaders, reportRequest, ticketCsvRequest } from "./report_params.ts";

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
    const { params, period, filter } = reportRequest(c.req.query(), nowOf(c), config.timeZone);
    const [report, departments, agents] = await Promise.all([
      periodReport(store.reader, actor, { period, filter, now: nowOf(c) }),
      listDepartments(store.db),
      listReportAgents(store.db),
    ]);
    const t = c.get("t");
    return renderPage(
      c,
      t("reports.title"),
      <ReportsPage
        t={t}
        report={report}
        params={params}
        departments={departments}
        agents={agents}
        team={seesTeam(actor)}
      />,
    );
  });

  app.get("/reports.csv", async (c) => {
    const { store, config } = c.get("deps");
    const { params, period, filter } = reportRequest(c.req.query(), nowOf(c), config.timeZone);
    const [report, agents] = await Promise.all([
      periodReport(store.reader, agentOf(c), { period, filter, now: nowOf(c) }),
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

  app.get("/reports/tickets.csv", (c) => {
    const { store, config } = c.get("deps");
    const { params, period, filter } = reportRequest(c.req.query(), nowOf(c), config.timeZone);
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

  app.get("/tickets.csv", (c) => {
    const { store, config } = c.get("deps");
    const { query, encoding } = ticketCsvRequest(c.req.query());
    const stream = ticketCsvStream(store.reader, agentOf(c), {
      query,
      encoding,
      t: c.get("t"),
      timeZone: config.timeZone,
      now: nowOf(c),
    });
    return c.body(stream, 200, csvHeaders("tickets.csv", encoding));
  });
  return app;
}
