/** /api/v1/reports/summary and /api/v1/tickets.csv. */
import { Hono } from "hono";
import { periodReport } from "../../../services/reports.ts";
import { ticketCsvStream } from "../../../services/exports.ts";
import { agentOf, type AppEnv, asAgent, assertAgent, nowOf } from "../../state.ts";
import { translator } from "../../../domain/i18n/mod.ts";
import { csvHeaders, reportRequest, ticketCsvRequest } from "../../report_params.ts";
import { ApiError } from "./errors.ts";
import { readJson } from "./validate.ts";
import {
  mySubscriptions,
  subscribeReport,
  unsubscribeReport,
} from "../../../services/report_schedules.ts";
import type { ReportSubscription } from "../../../db/report_subscriptions.ts";
import { REPORT_FREQUENCIES } from "../../../domain/report/schedule.ts";
import { oneOf, text, v, wholeNumber } from "../../../domain/validation.ts";
import { listTags } from "../../../db/tags.ts";

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
      await listTags(store.db),
    );
    const r = await periodReport(
      store.reader,
      agentOf(c),
      { period, filter, now: nowOf(c) },
      store.report,
    );
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
      handling: r.handling,
      by_agent: r.by_agent,
      by_day: r.by_day,
      top_categories: r.top_categories,
      top_tags: r.top_tags,
    });
  });

  // Scheduled reports: the caller's subscriptions (supervisors and admins).
  app.get("/reports/subscriptions", async (c) => {
    const subs = await mySubscriptions(c.get("deps").store.db, agentOf(c));
    return c.json(subs.map(subscriptionJson));
  });
  app.post("/reports/subscriptions", async (c) => {
    const { store, config } = c.get("deps");
    const b = await readJson(c, SubscriptionBody);
    const { filter } = reportRequest(
      Object.fromEntries(
        Object.entries(b).filter(([k, v]) => FILTER_KEYS.has(k) && v != null).map((
          [k, v],
        ) => [k, String(v)]),
      ),
      nowOf(c),
      config.timeZone,
      await listTags(store.db),
    );
    const id = await asAgent(
      c,
      (ctx) => subscribeReport(ctx, { frequency: b.frequency, sendHour: b.send_hour, filter }),
    );
    const created = (await mySubscriptions(store.db, agentOf(c))).find((s) => s.id === id)!;
    return c.json(subscriptionJson(created), 201);
  });
  app.delete("/reports/subscriptions/:id{[0-9]{1,15}}", async (c) => {
    await asAgent(c, (ctx) => unsubscribeReport(ctx, Number(c.req.param("id"))));
    return c.body(null, 204);
  });

  app.get("/tickets.csv", async (c) => {
    const { store, config } = c.get("deps");
    const agent = assertAgent(c);
    const { query, encoding } = ticketCsvRequest(c.req.query(), {
      agentId: agent.id,
      tags: await listTags(store.db),
      timeZone: config.timeZone,
      now: nowOf(c),
      departmentIds: agent.departmentIds,
    });
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

const FILTER_KEYS = new Set(["department_id", "agent_id", "channel", "tag", "category"]);

/** POST /reports/subscriptions: when, and the report's filters (as the summary's query). */
const SubscriptionBody = v.object({
  frequency: oneOf(REPORT_FREQUENCIES, { required: true }),
  send_hour: wholeNumber({ min: 0, max: 23, required: true }),
  department_id: wholeNumber({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  agent_id: wholeNumber({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  channel: text({ max: 32 }),
  tag: text({ max: 50 }),
  category: text({ max: 200 }),
});

function subscriptionJson(s: ReportSubscription) {
  return {
    id: s.id,
    frequency: s.frequency,
    send_hour: s.sendHour,
    filter: {
      department_id: s.filter.departmentId ?? null,
      agent_id: s.filter.agentId ?? null,
      channel: s.filter.channel ?? null,
      tag_id: s.filter.tagId ?? null,
      category: s.filter.category ?? null,
    },
    created_at: new Date(s.createdAt).toISOString(),
  };
}
