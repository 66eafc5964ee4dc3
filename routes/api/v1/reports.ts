/** /api/v1/reports/summary and /api/v1/tickets.csv. */
import { Hono } from "hono";
import { periodReport } from "../../../services/reports.ts";
import { ticketCsvStream } from "../../../services/exports.ts";
import { agentOf, type AppEnv, assertAgent, nowOf } from "../../state.ts";
import { translator } from "../../../domain/i18n/mod.ts";
import { csvHeaders, reportRequest, ticketCsvRequest } from "../../report_params.ts";
import { ApiError } from "./errors.ts";

/** Routes mounted at /api/v1. */
export function reportApiRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/reports/summary", async (c) => {
    const { store, config } = c.get("deps");
    const query = c.req.query();
    if (!query.from || !query.to) {
      throw new ApiError(422, "invalid_request", "from and to are required (YYYY-MM-DD)");
    }
    const { period, filter } = reportRequest(
      { ...query, period: "custom" },
      nowOf(c),
      config.timeZone,
    );
    const r = await periodReport(store.reader, agentOf(c), { period, filter, now: nowOf(c) });
    const strip = ({ count: _, ...s }: typeof r.first_response) => s;
    return c.json({
      from: r.from,
      to: r.to,
      time_zone: config.timeZone,
      received: r.received,
      replied: r.replied,
      first_response: strip(r.first_response),
      resolution: strip(r.resolution),
      sla: { first_response_pct: r.sla.first_response_pct, resolution_pct: r.sla.resolution_pct },
      reopen_rate_pct: r.reopen_rate_pct,
      by_agent: r.by_agent,
      by_day: r.by_day,
    });
  });

  app.get("/tickets.csv", (c) => {
    const { store, config } = c.get("deps");
    const { query, encoding } = ticketCsvRequest(c.req.query());
    const stream = ticketCsvStream(store.reader, agentOf(c), {
      query,
      encoding,
      // The API runs without the session middleware: headers in the agent's own language.
      t: translator(assertAgent(c).locale === "en" ? "en" : "ja"),
      timeZone: config.timeZone,
      now: nowOf(c),
    });
    return c.body(stream, 200, csvHeaders("tickets.csv", encoding));
  });
  return app;
}
