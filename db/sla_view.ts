/** SLA state as agents see it: the inbox's nearest deadline and the ticket page's clocks. */
import type { Db } from "./client.ts";
import { loadDepartmentSchedules } from "./schedules.ts";
import { findSlaPolicy } from "./sla_policies.ts";
import { computeForRows, loadSlaRows } from "./sla.ts";
import { type BusinessClock, scheduleClock } from "../domain/business_clock.ts";
import { isPriority, type Priority } from "../domain/priority.ts";
import { resolutionElapsedMs, SLA_METRICS, type SlaMetric } from "../domain/sla.ts";

/** How urgent a deadline is now. */
export type SlaTone = "ok" | "warning" | "breached";

export interface InboxSla {
  priority: Priority;
  /** The nearest running deadline; null when no clock runs. */
  dueAt: number | null;
  tone: SlaTone;
  /** Business ms until the deadline (negative: overdue by). */
  remainingMs: number | null;
  paused: boolean;
  /** The department keeps business hours (durations are business time), else wall time. */
  businessHours: boolean;
}

/** The SLA column of some inbox rows, keyed by ticket id. */
export async function inboxSla(
  db: Db,
  ticketIds: number[],
  now: number,
): Promise<Map<number, InboxSla>> {
  const result = new Map<number, InboxSla>();
  if (ticketIds.length === 0) return result;
  const rows = await db.selectFrom("tickets")
    .select([
      "id",
      "department_id",
      "priority",
      "status",
      "sla_due_at",
      "sla_warn_at",
      "sla_paused",
    ])
    .where("id", "in", ticketIds).execute();
  const schedules = await loadDepartmentSchedules(db, [
    ...new Set(rows.map((r) => r.department_id)),
  ]);
  for (const r of rows) {
    const schedule = schedules.get(r.department_id) ?? null;
    const clock = scheduleClock(schedule);
    result.set(r.id, {
      priority: isPriority(r.priority) ? r.priority : "normal",
      dueAt: r.sla_due_at,
      tone: tone(r.sla_due_at, r.sla_warn_at, now),
      remainingMs: r.sla_due_at === null ? null : clock.between(now, r.sla_due_at),
      paused: r.status === "pending" && r.sla_paused === 1,
      businessHours: schedule !== null,
    });
  }
  return result;
}

function tone(dueAt: number | null, warnAt: number | null, now: number): SlaTone {
  if (dueAt !== null && now >= dueAt) return "breached";
  if (warnAt !== null && now >= warnAt) return "warning";
  return "ok";
}

export type ClockView =
  | {
    metric: SlaMetric;
    state: "running";
    dueAt: number | null;
    tone: SlaTone;
    remainingMs: number | null;
    /** The department keeps business hours (durations are business time), else wall time. */
    businessHours: boolean;
  }
  | { metric: SlaMetric; state: "met"; at: number }
  | { metric: SlaMetric; state: "paused" | "stopped"; usedMs: number; targetMinutes: number }
  | { metric: SlaMetric; state: "idle" };

export interface TicketSlaView {
  priority: Priority;
  departmentId: number;
  hasPolicy: boolean;
  clocks: ClockView[];
}

/** Each SLA clock of one ticket as of `now` (computed, not written). */
export async function ticketSlaView(
  db: Db,
  ticketId: number,
  now: number,
): Promise<TicketSlaView | null> {
  const [row] = await loadSlaRows(db, { ticketIds: [ticketId] });
  if (!row) return null;
  const policy = await findSlaPolicy(db, row.departmentId, row.priority);
  const [{ state }] = await computeForRows(db, [row], now);
  const schedule = (await loadDepartmentSchedules(db, [row.departmentId])).get(row.departmentId);
  const business: BusinessClock = scheduleClock(schedule ?? null);
  const clocks = SLA_METRICS.flatMap((metric): ClockView[] => {
    const running = state.clocks.find((c) => c.metric === metric);
    if (running) {
      return [{
        metric,
        state: "running",
        dueAt: running.dueAt,
        tone: tone(running.dueAt, running.warnAt, now),
        remainingMs: running.dueAt === null ? null : business.between(now, running.dueAt),
        businessHours: !!schedule,
      }];
    }
    if (metric === "first_response" && row.facts.firstResponseAt !== null) {
      return [{ metric, state: "met", at: row.facts.firstResponseAt }];
    }
    if (metric === "resolution" && policy?.resolutionMinutes && state.clock.stopped) {
      return [{
        metric,
        state: row.facts.status === "pending" ? "paused" : "stopped",
        usedMs: resolutionElapsedMs(business, state.clock, now),
        targetMinutes: policy.resolutionMinutes,
      }];
    }
    return [{ metric, state: "idle" }];
  });
  return {
    priority: row.priority,
    departmentId: row.departmentId,
    hasPolicy: policy !== null,
    clocks,
  };
}
