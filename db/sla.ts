/**
 * Keeps each ticket's SLA due times and timers in step with its timeline. Every event that can
 * move a due time (a message in or out, a status, priority or department change, a schedule or
 * policy edit) calls `recomputeTicketSla` — or, for many tickets at once,
 * `recomputeDepartmentsSla` — inside its own transaction: read the facts, let domain/sla.ts
 * compute, store the due times on the ticket and (re)arm one timer per metric and threshold.
 *
 * Both go through one batch path, so the 100 k-ticket recompute a schedule edit triggers is the
 * same code as a single mail's. Timers are written with upserts on their unique identity
 * (ticket, kind, key), keeping the rule of db/timers.ts `scheduleTimer`: an armed timer moves, a
 * fired one stays fired unless a new next-response cycle re-arms it.
 */
import { sql } from "kysely";
import type { Db, Tx } from "./client.ts";
import { isTicketStatus } from "../domain/ticket_status.ts";
import { isPriority, type Priority } from "../domain/priority.ts";
import type { Schedule } from "../domain/schedule.ts";
import { type BusinessClock, precomputedClock, scheduleClock } from "../domain/business_clock.ts";
import { computeSla, SLA_METRICS, type SlaFacts, type SlaState } from "../domain/sla.ts";
import type { SlaPolicy } from "../domain/sla_policy.ts";
import { loadSlaPolicies } from "./sla_policies.ts";
import { loadDepartmentSchedules } from "./schedules.ts";

/** Facts and stored SLA columns of one ticket, as the recompute reads them. */
export interface SlaTicketRow {
  id: number;
  departmentId: number;
  priority: Priority;
  /** The next-response cycle last armed (see `cycleSince` in domain/sla.ts). */
  storedCycleSince: number | null;
  facts: SlaFacts;
}

export interface SlaResult {
  row: SlaTicketRow;
  state: SlaState;
}

const OPEN_STATUSES = ["new", "open", "pending"];
const CHUNK = 400;

/**
 * Recomputes one ticket's SLA due times and timers at `now`; true when it armed a timer (nudge
 * the scheduler after the commit).
 */
export async function recomputeTicketSla(tx: Tx, ticketId: number, now: number): Promise<boolean> {
  return await storeSla(
    tx,
    await computeForRows(tx, await loadSlaRows(tx, { ticketIds: [ticketId] }), now),
    now,
  );
}

/** Recomputes every open ticket of the given departments (all when absent); returns how many. */
export async function recomputeDepartmentsSla(
  tx: Tx,
  departmentIds: number[] | undefined,
  now: number,
): Promise<number> {
  const rows = await loadSlaRows(tx, { departmentIds });
  await storeSla(tx, await computeForRows(tx, rows, now), now);
  return rows.length;
}

/** Loads the schedules and policies the rows need and computes each ticket's state. */
export async function computeForRows(
  db: Db | Tx,
  rows: SlaTicketRow[],
  now: number,
): Promise<SlaResult[]> {
  const departmentIds = [...new Set(rows.map((r) => r.departmentId))];
  const [schedules, policies] = await Promise.all([
    loadDepartmentSchedules(db, departmentIds),
    loadSlaPolicies(db, departmentIds),
  ]);
  return computeBatch(rows, schedules, policyIndex(policies), now);
}

/** The pure part of a recompute, over facts already in memory (the bench times this alone). */
export function computeBatch(
  rows: SlaTicketRow[],
  schedules: Map<number, Schedule | null>,
  policies: Map<string, SlaPolicy>,
  now: number,
): SlaResult[] {
  const clocks = new Map<number, BusinessClock>();
  for (const [departmentId, schedule] of schedules) {
    clocks.set(departmentId, batchClock(schedule, rows, departmentId, now));
  }
  return rows.map((row) => ({
    row,
    state: computeSla(
      policies.get(`${row.departmentId}:${row.priority}`) ?? null,
      clocks.get(row.departmentId) ?? scheduleClock(null),
      row.facts,
      now,
    ),
  }));
}

const PRECOMPUTE_FROM = 50;
const YEAR_MS = 366 * 86_400_000;

/**
 * For a big batch, the department's open intervals from its oldest running clock to a year
 * ahead, computed once (answers outside that window are still exact, only slower).
 */
function batchClock(
  schedule: Schedule | null,
  rows: SlaTicketRow[],
  departmentId: number,
  now: number,
): BusinessClock {
  if (!schedule) return scheduleClock(null);
  let from = now;
  let count = 0;
  for (const { departmentId: d, facts } of rows) {
    if (d !== departmentId) continue;
    count++;
    from = Math.min(
      from,
      facts.createdAt,
      facts.awaitingSince ?? now,
      facts.clock.runningSince ?? now,
    );
  }
  if (count < PRECOMPUTE_FROM) return scheduleClock(schedule);
  return precomputedClock(schedule, Math.max(from, now - 2 * YEAR_MS), now + YEAR_MS);
}

/** Policies keyed "department:priority". */
export function policyIndex(policies: SlaPolicy[]): Map<string, SlaPolicy> {
  return new Map(policies.map((p) => [`${p.departmentId}:${p.priority}`, p]));
}

/** Reads the SLA facts of some tickets, or of the open tickets of some departments. */
export async function loadSlaRows(
  db: Db | Tx,
  scope: { ticketIds?: number[]; departmentIds?: number[] },
): Promise<SlaTicketRow[]> {
  if (scope.ticketIds?.length === 0 || scope.departmentIds?.length === 0) return [];
  let q = db.selectFrom("tickets as t").select([
    "t.id",
    "t.department_id",
    "t.priority",
    "t.status",
    "t.created_at",
    "t.sla_cycle_since",
    "t.sla_clock_since",
    "t.sla_elapsed_ms",
    "t.sla_paused",
    sql<number | null>`(select min(m.created_at) from messages m where m.ticket_id = t.id
      and m.direction = 'out' and m.agent_id is not null)`.as("first_reply"),
    sql<number | null>`(select min(m.created_at) from messages m where m.ticket_id = t.id
      and m.direction = 'in' and m.auto_kind = 'none'
      and m.created_at > coalesce((select max(r.created_at) from messages r
        where r.ticket_id = t.id and r.direction = 'out' and r.agent_id is not null), -1))`
      .as("awaiting"),
  ]);
  if (scope.ticketIds) q = q.where("t.id", "in", scope.ticketIds);
  else q = q.where("t.status", "in", OPEN_STATUSES);
  if (scope.departmentIds) q = q.where("t.department_id", "in", scope.departmentIds);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    departmentId: r.department_id,
    priority: isPriority(r.priority) ? r.priority : "normal",
    storedCycleSince: r.sla_cycle_since,
    facts: {
      createdAt: r.created_at,
      status: isTicketStatus(r.status) ? r.status : "new",
      firstResponseAt: r.first_reply === null ? null : Number(r.first_reply),
      awaitingSince: r.awaiting === null ? null : Number(r.awaiting),
      clock: {
        elapsedMs: r.sla_elapsed_ms,
        runningSince: r.sla_clock_since,
        stopped: r.sla_paused === 1,
      },
    },
  }));
}

/** Writes computed states to the tickets and (re)arms or cancels their timers; true if it armed. */
export async function storeSla(tx: Tx, results: SlaResult[], now: number): Promise<boolean> {
  let armed = false;
  for (let i = 0; i < results.length; i += CHUNK) {
    const chunk = results.slice(i, i + CHUNK);
    await writeTicketColumns(tx, chunk);
    armed = await armTimers(tx, chunk, now) || armed;
  }
  return armed;
}

async function writeTicketColumns(tx: Tx, chunk: SlaResult[]): Promise<void> {
  const values = sql.join(chunk.map(({ row, state }) => {
    const due = (metric: string) => state.clocks.find((c) => c.metric === metric)?.dueAt ?? null;
    return sql`(${row.id}, ${due("first_response")}, ${due("next_response")}, ${
      due("resolution")
    }, ${state.dueAt}, ${state.warnAt}, ${
      state.cycleSince ?? row.storedCycleSince
    }, ${state.clock.runningSince}, ${state.clock.elapsedMs}, ${state.clock.stopped ? 1 : 0})`;
  }));
  // One statement per chunk: a schedule edit rewrites every open ticket of a department.
  await sql`with v(id, fr, nr, res, due, warn, cyc, since, elapsed, paused) as (values ${values})
    update tickets set first_response_due_at = v.fr, next_response_due_at = v.nr,
      resolution_due_at = v.res, sla_due_at = v.due, sla_warn_at = v.warn,
      sla_cycle_since = v.cyc, sla_clock_since = v.since, sla_elapsed_ms = v.elapsed,
      sla_paused = v.paused
    from v where tickets.id = v.id`.execute(tx);
}

interface TimerRow {
  kind: string;
  ticket_id: number;
  key: string;
  due_at: number;
  data_json: string;
  created_at: number;
}

async function armTimers(tx: Tx, chunk: SlaResult[], now: number): Promise<boolean> {
  const moved: TimerRow[] = [];
  const rearmed: TimerRow[] = [];
  const cancelled = new Map<string, number[]>();
  for (const { row, state } of chunk) {
    // A different unanswered customer message than last time: a new next-response cycle.
    const newCycle = state.cycleSince !== null && state.cycleSince !== row.storedCycleSince;
    for (const metric of SLA_METRICS) {
      const clock = state.clocks.find((c) => c.metric === metric);
      for (const level of ["warning", "breach"] as const) {
        const key = `${metric}:${level}`;
        const dueAt = level === "warning" ? clock?.warnAt : clock?.dueAt;
        if (dueAt === undefined || dueAt === null) {
          const ids = cancelled.get(key) ?? [];
          ids.push(row.id);
          cancelled.set(key, ids);
          continue;
        }
        const timer = {
          kind: `sla.${level}`,
          ticket_id: row.id,
          key,
          due_at: dueAt,
          data_json: JSON.stringify({ metric, level, since: clock!.since }),
          created_at: now,
        };
        (metric === "next_response" && newCycle ? rearmed : moved).push(timer);
      }
    }
  }
  for (const [key, ids] of cancelled) {
    await tx.deleteFrom("timers").where("fired_at", "is", null).where("ticket_id", "in", ids)
      .where("kind", "=", `sla.${key.split(":")[1]}`).where("key", "=", key).execute();
  }
  if (moved.length > 0) {
    await tx.insertInto("timers").values(moved).onConflict((oc) =>
      oc.columns(["ticket_id", "kind", "key"])
        .doUpdateSet((eb) => ({
          due_at: eb.ref("excluded.due_at"),
          data_json: eb.ref("excluded.data_json"),
        }))
        .where("timers.fired_at", "is", null)
    ).execute();
  }
  if (rearmed.length > 0) {
    await tx.insertInto("timers").values(rearmed).onConflict((oc) =>
      oc.columns(["ticket_id", "kind", "key"]).doUpdateSet((eb) => ({
        due_at: eb.ref("excluded.due_at"),
        data_json: eb.ref("excluded.data_json"),
        fired_at: null,
      }))
    ).execute();
  }
  return moved.length + rearmed.length > 0;
}
