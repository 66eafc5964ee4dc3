/**
 * Scheduled reports: a supervisor (or admin) subscribes to a daily, weekly or monthly summary of
 * a report with its filters; a durable timer per subscription fires at the chosen hour in the
 * team's zone and mails the period that just ended, in the subscriber's language, with the
 * report's CSV attached, through the outbox. Never twice for one period: the timer is claimed
 * and re-armed in the transaction that queues the mail, and a delivery row per (subscription,
 * period) — its primary key — refuses a second mail whatever re-armed the timer (two processes,
 * a restart, an edit).
 */
import {
  claimReportDelivery,
  deleteReportSubscription,
  findReportSubscription,
  insertReportSubscription,
  listReportSubscriptions,
  type ReportSubscription,
} from "../db/report_subscriptions.ts";
import { listReportAgents, type ReportFilter } from "../db/report_queries.ts";
import { findAgentRecord } from "../db/agents.ts";
import { listTags } from "../db/tags.ts";
import { scheduleTimer, type Timer } from "../db/timers.ts";
import type { Db } from "../db/client.ts";
import { ForbiddenError, NotFoundError, ValidationError } from "../domain/errors.ts";
import { can } from "../domain/permissions.ts";
import {
  isReportFrequency,
  nextSendAt,
  periodBefore,
  type ReportFrequency,
} from "../domain/report/schedule.ts";
import { resolvePeriod } from "../domain/report/period.ts";
import type { ReportSummary } from "../domain/report/summary.ts";
import {
  formatBusinessDuration,
  type MessageKey,
  type Translate,
  translator,
} from "../domain/i18n/mod.ts";
import { queueReportMail } from "../mail/report_mail.ts";
import { type Actor, agentActor, type OpContext, type Runtime } from "./context.ts";
import { periodReport } from "./reports.ts";
import { reportCsv } from "./exports.ts";

export const REPORT_SCHEDULED = "report.scheduled";

/** At most this many subscriptions per agent. */
const MAX_PER_AGENT = 20;

function timerKey(id: number): string {
  return `subscription:${id}`;
}

function requireReports(actor: Actor): { id: number } {
  if (actor.kind !== "agent" || !can(actor, "reports.view")) {
    throw new ForbiddenError("Scheduled reports are for supervisors");
  }
  return actor;
}

/** The actor's subscriptions (for the reports page). */
export function mySubscriptions(db: Db, actor: Actor): Promise<ReportSubscription[]> {
  return listReportSubscriptions(db, requireReports(actor).id);
}

/** Subscribes the acting supervisor to a report; arms its timer. Returns the subscription's id. */
export async function subscribeReport(
  ctx: OpContext,
  input: { frequency: string; sendHour: number; filter: ReportFilter },
): Promise<number> {
  const agent = requireReports(ctx.actor);
  if (!isReportFrequency(input.frequency)) {
    throw new ValidationError("Unknown frequency", {
      frequency: "must be daily, weekly or monthly",
    });
  }
  if (!Number.isInteger(input.sendHour) || input.sendHour < 0 || input.sendHour > 23) {
    throw new ValidationError("The hour is not valid", { send_hour: "must be 0–23" });
  }
  if ((await listReportSubscriptions(ctx.tx, agent.id)).length >= MAX_PER_AGENT) {
    throw new ValidationError("Too many subscriptions", { frequency: "at most 20" });
  }
  const id = await insertReportSubscription(ctx.tx, {
    agentId: agent.id,
    frequency: input.frequency,
    sendHour: input.sendHour,
    filter: input.filter,
    now: ctx.now,
  });
  await scheduleTimer(ctx.tx, {
    kind: REPORT_SCHEDULED,
    ticketId: null,
    key: timerKey(id),
    dueAt: nextSendAt(input.frequency, input.sendHour, ctx.now, ctx.sender.timeZone),
    data: { subscriptionId: id },
    now: ctx.now,
  });
  ctx.wake("timers");
  return id;
}

/** Ends one of the actor's subscriptions (an admin may end anyone's); its timer goes too. */
export async function unsubscribeReport(ctx: OpContext, id: number): Promise<void> {
  const agent = requireReports(ctx.actor);
  const sub = await findReportSubscription(ctx.tx, id);
  const admin = ctx.actor.kind === "agent" && ctx.actor.role === "admin";
  if (!sub || (sub.agentId !== agent.id && !admin)) throw new NotFoundError("No such subscription");
  await deleteReportSubscription(ctx.tx, id);
  await ctx.tx.deleteFrom("timers").where("kind", "=", REPORT_SCHEDULED)
    .where("key", "=", timerKey(id)).where("ticket_id", "is", null).execute();
}

/** What a subscription's mail was computed from: a change in between means computing again. */
function mailBasis(
  sub: { frequency: string; filter: ReportFilter; agentId: number },
  agent: NonNullable<Awaited<ReturnType<typeof findAgentRecord>>>,
  range: { from: string; to: string },
): string {
  const { name, email, locale, role, restricted, departmentIds, disabled } = agent;
  return JSON.stringify([
    sub.frequency,
    sub.filter,
    sub.agentId,
    [name, email, locale, role, restricted, departmentIds, disabled],
    range,
  ]);
}

type ReportMail = Parameters<typeof queueReportMail>[2];

/**
 * The subscription's mail for `range`, or null when it is not to be sent (gone, its agent
 * disabled or no longer allowed reports). Reads only: `db` is the read pool before the firing
 * transaction, or that transaction when the subscription changed in between.
 */
async function buildReportMail(
  db: Db,
  sender: OpContext["sender"],
  timer: Timer,
  now: number,
  run?: Parameters<typeof periodReport>[3],
): Promise<{ basis: string; mail: ReportMail } | null> {
  const id = Number(timer.data.subscriptionId);
  const sub = await findReportSubscription(db, id);
  if (!sub || !isReportFrequency(sub.frequency)) return null;
  const agent = await findAgentRecord(db, sub.agentId);
  if (!agent || agent.disabled) return null;
  const actor = agentActor({
    ...agent,
    departmentIds: agent.restricted ? agent.departmentIds : null,
  });
  if (!can(actor as Exclude<Actor, { kind: "customer" | "system" }>, "reports.view")) return null;
  const zone = sender.timeZone;
  const range = periodBefore(sub.frequency, timer.dueAt, zone);
  const period = resolvePeriod("custom", now, zone, range);
  const report = await periodReport(db, actor, { period, filter: sub.filter, now }, run);
  const t = translator(agent.locale === "en" ? "en" : "ja");
  const names = new Map((await listReportAgents(db)).map((a) => [a.id, a.name]));
  const agentName = (aid: number | null) =>
    aid === null ? t("reports.noAgent") : names.get(aid) ?? `#${aid}`;
  const csv = reportCsv(report, { t, encoding: "utf-8", agentName });
  return {
    basis: mailBasis(sub, agent, range),
    mail: {
      to: { name: agent.name, address: agent.email },
      subject: t("reportMail.subject", {
        kind: t(`reportMail.kind.${sub.frequency}` as MessageKey),
        from: report.from,
        to: report.to,
      }),
      text: reportMailText(t, {
        name: agent.name,
        frequency: sub.frequency,
        report,
        agentName,
        url: `${sender.publicUrl}/reports?${reportQuery(sub.filter, report, await listTags(db))}`,
        manageUrl: `${sender.publicUrl}/reports#subscriptions`,
        timeZone: zone,
      }),
      attachment: { filename: `report-${report.from}_${report.to}.csv`, content: csv },
      now,
    },
  };
}

/**
 * The timer of a subscription: re-arms it for the next period and mails the period that ended
 * before the timer's due instant once (report_deliveries; a late fire after downtime still reports
 * the period it was due for). A deleted subscription ends here; one whose agent left or lost the
 * role is skipped, not mailed. The report is computed before the firing transaction, on a read
 * worker (`prepare`); inside (`fire`) only the subscription is checked again — computed afresh there
 * if it changed meanwhile — the delivery claimed and the mail queued.
 */
export const sendScheduledReport = {
  prepare(rt: Runtime, timer: Timer, at: number) {
    // The report is computed whole on a read worker when the store has them.
    return buildReportMail(rt.store.reader, rt.sender, timer, at, rt.store.report);
  },
  async fire(ctx: OpContext, timer: Timer, prepared: unknown): Promise<void> {
    const id = Number(timer.data.subscriptionId);
    const sub = await findReportSubscription(ctx.tx, id);
    if (!sub || !isReportFrequency(sub.frequency)) return;
    const zone = ctx.sender.timeZone;
    await scheduleTimer(ctx.tx, {
      kind: REPORT_SCHEDULED,
      ticketId: null,
      key: timerKey(id),
      dueAt: nextSendAt(sub.frequency, sub.sendHour, Math.max(ctx.now, timer.dueAt), zone),
      data: { subscriptionId: id },
      rearm: true,
      now: ctx.now,
    });
    const agent = await findAgentRecord(ctx.tx, sub.agentId);
    if (!agent || agent.disabled) return;
    const range = periodBefore(sub.frequency, timer.dueAt, zone);
    if (!await claimReportDelivery(ctx.tx, { subscriptionId: id, ...range, now: ctx.now })) return;
    const early = prepared as Awaited<ReturnType<typeof buildReportMail>>;
    const built = early?.basis === mailBasis(sub, agent, range)
      ? early
      : await buildReportMail(ctx.tx, ctx.sender, timer, ctx.now);
    // Not to be sent (the agent lost the role): the period stays claimed; it is past anyway.
    if (!built) return;
    await queueReportMail(ctx.tx, ctx.sender, built.mail);
    ctx.wake("outbox");
  },
};

/** The reports page's query of a subscription's period and filters. */
function reportQuery(
  filter: ReportFilter,
  report: ReportSummary,
  tags: { id: number; name: string }[],
): string {
  const q = new URLSearchParams({ period: "custom", from: report.from, to: report.to });
  if (filter.departmentId !== undefined) q.set("department_id", String(filter.departmentId));
  if (filter.agentId !== undefined) q.set("agent_id", String(filter.agentId));
  if (filter.channel) q.set("channel", filter.channel);
  const tag = tags.find((g) => g.id === filter.tagId);
  if (tag) q.set("tag", tag.name);
  if (filter.category) q.set("category", filter.category);
  return q.toString();
}

function duration(t: Translate, minutes: number | null): string {
  return minutes === null ? t("reports.none") : formatBusinessDuration(t, minutes * 60_000);
}

function pct(t: Translate, value: number | null): string {
  return value === null ? t("reports.none") : `${value}%`;
}

/** The mail's text: the headline figures, per agent, the link to the report. */
export function reportMailText(
  t: Translate,
  m: {
    name: string;
    frequency: ReportFrequency;
    report: ReportSummary;
    agentName(id: number | null): string;
    url: string;
    manageUrl: string;
    timeZone: string;
  },
): string {
  const r = m.report;
  const lines = [
    t("reportMail.greeting", { name: m.name }),
    "",
    t("reportMail.intro", {
      kind: t(`reportMail.kind.${m.frequency}` as MessageKey),
      from: r.from,
      to: r.to,
      zone: m.timeZone,
    }),
    "",
    `${t("reports.received")}: ${r.received}`,
    `${t("reports.replied")}: ${r.replied}`,
    `${t("reports.firstResponse")} (${t("reports.median")}, ${t("reports.business")}): ${
      duration(t, r.first_response.business_median_minutes)
    }`,
    `${t("reports.resolution")} (${t("reports.median")}, ${t("reports.business")}): ${
      duration(t, r.resolution.business_median_minutes)
    }`,
    `${t("reports.sla")} (${t("reports.firstResponse")}): ${pct(t, r.sla.first_response_pct)}`,
    `${t("reports.sla")} (${t("reports.resolution")}): ${pct(t, r.sla.resolution_pct)}`,
    `${t("reports.reopenRate")}: ${pct(t, r.reopen_rate_pct)}`,
    `${t("reportMore.handlingMedian")}: ${
      r.handling.median_seconds === null
        ? t("reports.none")
        : formatBusinessDuration(t, Math.max(60, r.handling.median_seconds) * 1000)
    }`,
  ];
  if (r.by_agent.length > 0) {
    lines.push("", `${t("reports.byAgent")}:`);
    for (const a of r.by_agent) {
      lines.push(
        `  ${m.agentName(a.agent_id)}: ${
          t("reportMail.agentLine", { tickets: a.tickets, replies: a.replies })
        }`,
      );
    }
  }
  lines.push(
    "",
    t("reportMail.open", { url: m.url }),
    t("reportMail.attached"),
    "",
    t("reportMail.manage", { url: m.manageUrl }),
  );
  return lines.join("\n");
}
