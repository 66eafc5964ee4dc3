/**
 * A period's report from the database: its reads (db/report_queries.ts), the business clocks and
 * SLA targets they are judged by, and their summary (domain/report/summary.ts), in one function
 * of plain input and output — so a read worker (db/read_worker.ts) can compute it whole, off the
 * thread that serves SMTP and HTTP. Who may see which figures is decided before, in
 * services/reports.ts (the filter arrives scoped).
 */
import type { Db } from "./client.ts";
import {
  countReportTags,
  listReportHandling,
  listReportReplies,
  listReportTickets,
  type ReportFilter,
} from "./report_queries.ts";
import { loadDepartmentSchedules } from "./schedules.ts";
import { loadSlaPolicies } from "./sla_policies.ts";
import { type BusinessClock, precomputedClock } from "../domain/business_clock.ts";
import { type Period, weekdayHour } from "../domain/report/period.ts";
import { type ReportSummary, summarize } from "../domain/report/summary.ts";

const DAY_MS = 86_400_000;

/** What a report is of: a period, an already scoped filter, and the instant it is computed at. */
export interface PeriodReportInput {
  period: Period;
  filter: ReportFilter;
  now: number;
}

/** The report of a period, read and summarized. */
export async function readPeriodReport(db: Db, input: PeriodReportInput): Promise<ReportSummary> {
  const { period, filter, now } = input;
  const [tickets, replies, handling, tags] = await Promise.all([
    listReportTickets(db, period, filter),
    listReportReplies(db, period, filter),
    listReportHandling(db, period, filter),
    countReportTags(db, period, filter),
  ]);
  const { clockOf, targetsOf } = await slaContext(db, tickets, period, now);
  return summarize({
    period,
    now,
    tickets,
    replies,
    handling,
    tags,
    clockOf,
    targetsOf,
    weekdayHour: (ms) => weekdayHour(ms, period.timeZone),
  });
}

/** The business clocks and SLA targets of the departments of some tickets of a period. */
export async function slaContext(
  db: Db,
  tickets: { departmentId: number }[],
  period: { fromMs: number; toMs: number },
  now: number,
) {
  const departmentIds = [...new Set(tickets.map((t) => t.departmentId))];
  const [schedules, policies] = await Promise.all([
    loadDepartmentSchedules(db, departmentIds),
    loadSlaPolicies(db, departmentIds),
  ]);
  // Answers come after the period; one window of open intervals serves the whole batch
  // (precomputedClock falls back to exact arithmetic outside it).
  const windowEnd = Math.max(now, period.toMs) + DAY_MS;
  const clocks = new Map<number, BusinessClock>();
  const clockOf = (id: number) => {
    let clock = clocks.get(id);
    if (!clock) {
      clock = precomputedClock(schedules.get(id) ?? null, period.fromMs - DAY_MS, windowEnd);
      clocks.set(id, clock);
    }
    return clock;
  };
  const targets = new Map(policies.map((p) => [`${p.departmentId}:${p.priority}`, p]));
  const targetsOf = (departmentId: number, priority: string) =>
    targets.get(`${departmentId}:${priority}`) ?? null;
  return { clockOf, targetsOf };
}
