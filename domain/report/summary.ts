/**
 * A period's report from the rows db/report_queries.ts reads: counts, first-response and
 * resolution times (median and p90, wall and business time of each ticket's department), SLA
 * compliance, replies per agent and per day, reopen rate, the weekday × hour heat map and the
 * most frequent terms. Pure: business clocks and SLA targets come in as functions.
 *
 * @module
 */
import type { BusinessClock } from "../business_clock.ts";
import { dayBucketer, type Period, periodDates } from "./period.ts";
import { medianP90Minutes, percent, quantile } from "./stats.ts";
import { topTerms } from "./words.ts";

/** A ticket as the report needs it. */
export interface SummaryTicket {
  number: number;
  departmentId: number;
  priority: string;
  subject: string;
  createdAt: number;
  firstResponseAt: number | null;
  resolvedAt: number | null;
  reopenCount: number;
  agentId: number | null;
  slaElapsedMs: number;
  /** The web form's category; null for none. */
  category?: string | null;
}

export interface SummaryInput {
  period: Period;
  now: number;
  tickets: SummaryTicket[];
  replies: { agentId: number; createdAt: number }[];
  /** Seconds each reply sent in the period was composed (the reply form's open to send). */
  handling?: { agentId: number; seconds: number }[];
  /** Tickets received per tag, as counted by the database (passed through). */
  tags?: { tagId: number; name: string; count: number }[];
  /** The business clock of a department (ALWAYS_OPEN when it has no schedule). */
  clockOf(departmentId: number): BusinessClock;
  /** SLA targets in business minutes of a department and priority; null: no policy. */
  targetsOf(
    departmentId: number,
    priority: string,
  ): { firstResponseMinutes: number | null; resolutionMinutes: number | null } | null;
  /** Local weekday (1–7, Monday first) and hour of an instant in the team's zone. */
  weekdayHour(ms: number): { weekday: number; hour: number };
}

export interface DurationStats {
  count: number;
  median_minutes: number | null;
  p90_minutes: number | null;
  business_median_minutes: number | null;
  business_p90_minutes: number | null;
}

export interface ReportSummary {
  from: string;
  to: string;
  received: number;
  replied: number;
  first_response: DurationStats;
  resolution: DurationStats;
  sla: {
    first_response_pct: number | null;
    resolution_pct: number | null;
    first_response_met: number;
    first_response_total: number;
    resolution_met: number;
    resolution_total: number;
  };
  reopened: number;
  resolved: number;
  reopen_rate_pct: number | null;
  /** Time agents spent composing the replies sent in the period. */
  handling: HandlingStats;
  by_agent: ({
    agent_id: number | null;
    tickets: number;
    replies: number;
    first_response_median_minutes: number | null;
  } & { handling: HandlingStats })[];
  by_day: { date: string; received: number; replied: number }[];
  /** [weekday 0 = Monday … 6][hour 0…23]: tickets received. */
  heatmap: number[][];
  top_terms: { term: string; count: number }[];
  /** Web form categories of the tickets received, most frequent first. */
  top_categories: { category: string; count: number }[];
  top_tags: { tag_id: number; name: string; count: number }[];
}

/** Replies with a measured composing time: how many, median and total seconds. */
export interface HandlingStats {
  replies: number;
  median_seconds: number | null;
  total_seconds: number;
}

function handlingStats(seconds: number[]): HandlingStats {
  const median = quantile(Float64Array.from(seconds).sort(), 0.5);
  return {
    replies: seconds.length,
    median_seconds: median === null ? null : Math.round(median),
    total_seconds: seconds.reduce((a, b) => a + b, 0),
  };
}

function durationStats(wall: number[], business: number[]): DurationStats {
  const w = medianP90Minutes(wall);
  const b = medianP90Minutes(business);
  return {
    count: wall.length,
    median_minutes: w.median,
    p90_minutes: w.p90,
    business_median_minutes: b.median,
    business_p90_minutes: b.p90,
  };
}

/** Whether a ticket met or breached an SLA target; absent: it does not count (yet). */
export type SlaOutcome = "met" | "breached" | undefined;

export const SLA_RESULTS = [
  "first_met",
  "first_breached",
  "resolution_met",
  "resolution_breached",
] as const;
export type SlaResult = typeof SLA_RESULTS[number];

/**
 * How a ticket counts in the SLA compliance figures — the one definition the report and the
 * inbox lists its figures link to share. First response: answered within the target in business
 * time (met), answered later or still unanswered past it (breached), still unanswered within it
 * (not counted yet). Resolution: resolved tickets only, judged on the business time the
 * resolution clock ran (slaElapsedMs). Without a target of that metric, a ticket does not count.
 */
export function slaOutcomes(
  t: Pick<SummaryTicket, "createdAt" | "firstResponseAt" | "resolvedAt" | "slaElapsedMs">,
  c: {
    clock: BusinessClock;
    targets: { firstResponseMinutes: number | null; resolutionMinutes: number | null } | null;
    now: number;
    /** The first response's business time if already computed. */
    firstBusinessMs?: number;
  },
): { firstResponse: SlaOutcome; resolution: SlaOutcome } {
  let firstResponse: SlaOutcome;
  const first = c.targets?.firstResponseMinutes;
  if (first != null) {
    if (t.firstResponseAt !== null) {
      const business = c.firstBusinessMs ?? c.clock.between(t.createdAt, t.firstResponseAt);
      firstResponse = business <= first * 60_000 ? "met" : "breached";
    } else if (c.clock.between(t.createdAt, c.now) > first * 60_000) {
      // Still unanswered: counts once its target has passed (a breach), not before.
      firstResponse = "breached";
    }
  }
  let resolution: SlaOutcome;
  const resolve = c.targets?.resolutionMinutes;
  if (resolve != null && t.resolvedAt !== null) {
    resolution = t.slaElapsedMs <= resolve * 60_000 ? "met" : "breached";
  }
  return { firstResponse, resolution };
}

/** Whether a ticket's outcomes are the one a link asks for. */
export function hasSlaResult(
  outcomes: { firstResponse: SlaOutcome; resolution: SlaOutcome },
  result: SlaResult,
): boolean {
  switch (result) {
    case "first_met":
      return outcomes.firstResponse === "met";
    case "first_breached":
      return outcomes.firstResponse === "breached";
    case "resolution_met":
      return outcomes.resolution === "met";
    case "resolution_breached":
      return outcomes.resolution === "breached";
  }
}

/** Computes the report. */
export function summarize(input: SummaryInput): ReportSummary {
  const { period, tickets, replies } = input;
  const dates = periodDates(period);
  const dayOf = dayBucketer(period);
  const byDay = dates.map((date) => ({ date, received: 0, replied: 0 }));
  const heatmap = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  const firstWall: number[] = [];
  const firstBusiness: number[] = [];
  const resolutionWall: number[] = [];
  const resolutionBusiness: number[] = [];
  const agentFirst = new Map<number | null, number[]>();
  const agents = new Map<number | null, { tickets: number; replies: number }>();
  const agentRow = (id: number | null) => {
    let row = agents.get(id);
    if (!row) agents.set(id, row = { tickets: 0, replies: 0 });
    return row;
  };
  let firstMet = 0, firstTotal = 0, resolutionMet = 0, resolutionTotal = 0;
  let reopened = 0, everResolved = 0;

  for (const t of tickets) {
    const day = dayOf(t.createdAt);
    if (day >= 0) byDay[day].received++;
    const { weekday, hour } = input.weekdayHour(t.createdAt);
    heatmap[weekday - 1][hour]++;
    agentRow(t.agentId).tickets++;
    const clock = input.clockOf(t.departmentId);
    const targets = input.targetsOf(t.departmentId, t.priority);
    let business: number | undefined;
    if (t.firstResponseAt !== null) {
      business = clock.between(t.createdAt, t.firstResponseAt);
      firstWall.push(t.firstResponseAt - t.createdAt);
      firstBusiness.push(business);
      const list = agentFirst.get(t.agentId) ?? [];
      list.push(t.firstResponseAt - t.createdAt);
      agentFirst.set(t.agentId, list);
    }
    if (t.resolvedAt !== null) {
      resolutionWall.push(t.resolvedAt - t.createdAt);
      resolutionBusiness.push(clock.between(t.createdAt, t.resolvedAt));
    }
    const outcome = slaOutcomes(t, { clock, targets, now: input.now, firstBusinessMs: business });
    if (outcome.firstResponse) firstTotal++;
    if (outcome.firstResponse === "met") firstMet++;
    if (outcome.resolution) resolutionTotal++;
    if (outcome.resolution === "met") resolutionMet++;
    if (t.resolvedAt !== null || t.reopenCount > 0) everResolved++;
    if (t.reopenCount > 0) reopened++;
  }
  for (const r of replies) {
    const day = dayOf(r.createdAt);
    if (day >= 0) byDay[day].replied++;
    agentRow(r.agentId).replies++;
  }
  const handling = input.handling ?? [];
  const agentHandling = new Map<number | null, number[]>();
  for (const h of handling) {
    agentRow(h.agentId);
    const list = agentHandling.get(h.agentId) ?? [];
    list.push(h.seconds);
    agentHandling.set(h.agentId, list);
  }
  const byAgent = [...agents].map(([agentId, row]) => ({
    agent_id: agentId,
    tickets: row.tickets,
    replies: row.replies,
    first_response_median_minutes: medianP90Minutes(agentFirst.get(agentId) ?? []).median,
    handling: handlingStats(agentHandling.get(agentId) ?? []),
  })).sort((a, b) => b.replies - a.replies || b.tickets - a.tickets);
  const categories = new Map<string, number>();
  for (const t of tickets) {
    if (t.category) categories.set(t.category, (categories.get(t.category) ?? 0) + 1);
  }

  return {
    from: period.from,
    to: period.to,
    received: tickets.length,
    replied: replies.length,
    first_response: durationStats(firstWall, firstBusiness),
    resolution: durationStats(resolutionWall, resolutionBusiness),
    sla: {
      first_response_pct: percent(firstMet, firstTotal),
      resolution_pct: percent(resolutionMet, resolutionTotal),
      first_response_met: firstMet,
      first_response_total: firstTotal,
      resolution_met: resolutionMet,
      resolution_total: resolutionTotal,
    },
    reopened,
    resolved: everResolved,
    reopen_rate_pct: percent(reopened, everResolved),
    by_agent: byAgent,
    by_day: byDay,
    heatmap,
    top_terms: topTerms(tickets.map((t) => t.subject), 20),
    handling: handlingStats(handling.map((h) => h.seconds)),
    top_categories: [...categories].map(([category, count]) => ({ category, count }))
      .sort((a, b) => b.count - a.count || (a.category < b.category ? -1 : 1)).slice(0, 20),
    top_tags: (input.tags ?? []).map((g) => ({ tag_id: g.tagId, name: g.name, count: g.count })),
  };
}
