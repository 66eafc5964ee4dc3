/**
 * Reports and the dashboard: read-only, so they take the database handle rather than a write
 * transaction, but who may see what is decided here like every other permission. Admins
 * (supervisors) see the whole team; an agent sees their own tickets and replies.
 */
import type { Db } from "../db/client.ts";
import {
  countDueBefore,
  listReportReplies,
  listReportTickets,
  openCounts,
  openLoadByAgent,
  type ReportFilter,
} from "../db/report_queries.ts";
import { type PeriodReportInput, readPeriodReport, slaContext } from "../db/period_report.ts";
import { ForbiddenError } from "../domain/errors.ts";
import { can } from "../domain/permissions.ts";
import { localDateOf, startOfDay } from "../domain/report/period.ts";
import {
  hasSlaResult,
  type ReportSummary,
  slaOutcomes,
  type SlaResult,
} from "../domain/report/summary.ts";
import type { Actor } from "./context.ts";

/** Whether the actor sees every agent's figures (admins and supervisors: reports.view). */
export function seesTeam(actor: Actor): boolean {
  return actor.kind === "system" || (actor.kind === "agent" && can(actor, "reports.view"));
}

/**
 * The filter an actor may use: an agent is pinned to themselves; anyone restricted to their
 * departments sees only those departments' tickets.
 */
export function scopeFilter(actor: Actor, filter: ReportFilter): ReportFilter {
  if (actor.kind === "agent" && actor.departmentIds) {
    filter = { ...filter, departmentIds: actor.departmentIds };
  }
  if (seesTeam(actor)) return filter;
  if (actor.kind !== "agent") throw new ForbiddenError("Reports are for agents");
  if (filter.agentId !== undefined && filter.agentId !== actor.id) {
    throw new ForbiddenError("Cannot see another agent's report");
  }
  return { ...filter, agentId: actor.id };
}

/** A period's report for the actor; `run` computes it elsewhere (a read worker) when given. */
export async function periodReport(
  db: Db,
  actor: Actor,
  input: PeriodReportInput,
  run: (input: PeriodReportInput) => Promise<ReportSummary> = (scoped) =>
    readPeriodReport(db, scoped),
): Promise<ReportSummary> {
  return await run({ ...input, filter: scopeFilter(actor, input.filter) });
}

/**
 * The tickets created in a range whose SLA outcome is `result`, judged as the report's SLA
 * compliance figures judge it (domain/report/summary.ts slaOutcomes), for the inbox list those
 * figures link to. The inbox applies its own filters (and an agent's departments) on top.
 */
export async function slaResultTicketIds(
  db: Db,
  input: { range: { fromMs: number; toMs: number }; result: SlaResult; now: number },
): Promise<number[]> {
  const tickets = await listReportTickets(db, input.range, {});
  const { clockOf, targetsOf } = await slaContext(db, tickets, input.range, input.now);
  return tickets.filter((t) =>
    hasSlaResult(
      slaOutcomes(t, {
        clock: clockOf(t.departmentId),
        targets: targetsOf(t.departmentId, t.priority),
        now: input.now,
      }),
      input.result,
    )
  ).map((t) => t.id);
}

export interface Dashboard {
  open: { status: string; departmentId: number; count: number }[];
  load: { agentId: number | null; count: number }[];
  dueToday: number;
  breached: number;
  today: { date: string; received: number; replied: number };
  /** Whether the figures are the whole team's (false: the actor's own). */
  team: boolean;
}

/** The dashboard as of `now`: open work, today's deadlines and today's traffic. */
export async function dashboard(
  db: Db,
  actor: Actor,
  input: { now: number; timeZone: string },
): Promise<Dashboard> {
  const team = seesTeam(actor);
  const filter = scopeFilter(actor, {});
  const date = localDateOf(input.now, input.timeZone);
  const fromMs = startOfDay(date, input.timeZone);
  const toMs = startOfDay(
    Temporal.PlainDate.from(date).add({ days: 1 }).toString(),
    input.timeZone,
  );
  const [open, load, due, received, replies] = await Promise.all([
    team ? openCounts(db, filter.departmentIds) : Promise.resolve([]),
    openLoadByAgent(db, filter),
    countDueBefore(db, toMs, input.now, filter),
    listReportTickets(db, { fromMs, toMs }, filter),
    listReportReplies(db, { fromMs, toMs }, filter),
  ]);
  return {
    open,
    load,
    dueToday: due.due,
    breached: due.breached,
    today: { date, received: received.length, replied: replies.length },
    team,
  };
}
