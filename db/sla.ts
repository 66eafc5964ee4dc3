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
import {
  computeSla,
  SLA_LEVELS,
  SLA_METRICS,
  type SlaFacts,
  type SlaLevel,
  type SlaMetric,
  type SlaState,
} from "../domain/sla.ts";
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
  /** Each metric's stored due time: its timers exist exactly while this is set. */
  storedDue: Record<SlaMetric, number | null>;
  /** The SLA columns as stored, in `ticketColumns` order: a recompute that changes none skips the write. */
  stored?: (number | null)[];
  facts: SlaFacts;
}

export interface SlaResult {
  row: SlaTicketRow;
  state: SlaState;
}

const OPEN_STATUSES = ["new", "open", "pending"];
const CHUNK = 2000;
const PAGE = 20_000;

/**
 * Recomputes one ticket's SLA due times and timers at `now`; true when it armed a timer (nudge
 * the scheduler after the commit).
 */
export async function recomputeTicketSla(
  tx: Tx,
  ticketId: number,
  now: number,
  known?: KnownFacts,
): Promise<boolean> {
  return (await recomputeTicketState(tx, ticketId, now, known)).armed;
}

/** What the caller already read in this transaction: schedules by department id. */
export interface KnownFacts {
  schedules?: Map<number, Schedule | null>;
}

/** Like `recomputeTicketSla`, also returning the clocks it stored (null: no such ticket). */
export async function recomputeTicketState(
  tx: Tx,
  ticketId: number,
  now: number,
  known?: KnownFacts,
): Promise<{ armed: boolean; state: SlaState | null }> {
  const rows = await loadSlaRows(tx, { ticketIds: [ticketId] });
  const results = await computeForRows(tx, rows, now, known);
  return { armed: await storeSla(tx, results, now), state: results[0]?.state ?? null };
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
  known?: KnownFacts,
): Promise<SlaResult[]> {
  const departmentIds = [...new Set(rows.map((r) => r.departmentId))];
  const missing = departmentIds.filter((id) => !known?.schedules?.has(id));
  const [loaded, policies] = await Promise.all([
    loadDepartmentSchedules(db, missing),
    loadSlaPolicies(db, departmentIds),
  ]);
  const schedules = new Map<number, Schedule | null>(
    departmentIds.map((id) => [id, loaded.get(id) ?? known?.schedules?.get(id) ?? null]),
  );
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
  const where = [
    scope.ticketIds
      ? sql`t.id in (${sql.join(scope.ticketIds)})`
      : sql`t.status in (${sql.join(OPEN_STATUSES)})`,
    ...(scope.departmentIds ? [sql`t.department_id in (${sql.join(scope.departmentIds)})`] : []),
  ];
  const rows: SlaTicketRow[] = [];
  for (let after = 0;;) {
    // Each page comes back as ONE JSON cell: turning 100 k rows of 14 columns into driver row
    // objects costs several times what SQLite spends computing them.
    const page = await sql<{ facts: string | null }>`select json_group_array(json_array(
        t.id, t.department_id, t.priority, t.status, t.created_at, t.sla_cycle_since,
        t.sla_clock_since, t.sla_elapsed_ms, t.sla_paused, t.first_response_due_at,
        t.next_response_due_at, t.resolution_due_at,
        (select min(m.created_at) from messages m where m.ticket_id = t.id
          and m.direction = 'out' and m.agent_id is not null),
        (select min(m.created_at) from messages m where m.ticket_id = t.id
          and m.direction = 'in' and m.auto_kind = 'none'
          and m.created_at > coalesce(t.last_reply_at, -1)),
        t.sla_due_at, t.sla_warn_at
      )) as facts
      from (select t.*,
          -- Once per ticket: in the subquery above it ran again for every message of the ticket
          -- (a 3 000-message thread: 9 M rows, 0.7 s per ticket page).
          (select max(r.created_at) from messages r
            where r.ticket_id = t.id and r.direction = 'out' and r.agent_id is not null
          ) as last_reply_at
        from tickets t where ${sql.join(where, sql` and `)} and t.id > ${after}
        order by t.id limit ${PAGE}) t`.execute(db);
    const facts = JSON.parse(page.rows[0]?.facts ?? "[]") as FactsRow[];
    rows.push(...facts.map(toRow));
    if (facts.length < PAGE) return rows;
    after = facts[facts.length - 1][0];
  }
}

type FactsRow = [
  id: number,
  departmentId: number,
  priority: string,
  status: string,
  createdAt: number,
  cycleSince: number | null,
  clockSince: number | null,
  elapsedMs: number,
  paused: number,
  firstDue: number | null,
  nextDue: number | null,
  resolutionDue: number | null,
  firstReply: number | null,
  awaiting: number | null,
  slaDue: number | null,
  slaWarn: number | null,
];

function toRow(r: FactsRow): SlaTicketRow {
  const [id, departmentId, priority, status, createdAt, cycleSince, clockSince, elapsedMs, paused] =
    r;
  return {
    id,
    departmentId,
    priority: isPriority(priority) ? priority : "normal",
    storedCycleSince: cycleSince,
    storedDue: { first_response: r[9], next_response: r[10], resolution: r[11] },
    stored: [r[9], r[10], r[11], r[14], r[15], cycleSince, clockSince, elapsedMs, paused],
    facts: {
      createdAt,
      status: isTicketStatus(status) ? status : "new",
      firstResponseAt: r[12],
      awaitingSince: r[13],
      clock: { elapsedMs, runningSince: clockSince, stopped: r[8] === 1 },
    },
  };
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

// The batch statements below take their rows as ONE JSON parameter (json_each): a schedule edit
// rewrites every open ticket of a department, and binding thousands of parameters per statement
// costs more than SQLite's own JSON parsing.

async function writeTicketColumns(tx: Tx, chunk: SlaResult[]): Promise<void> {
  const rows: (number | null)[][] = [];
  for (const { row, state } of chunk) {
    const columns = ticketColumns(row, state);
    if (!row.stored || columns.some((v, i) => v !== row.stored![i])) {
      rows.push([row.id, ...columns]);
    }
  }
  if (rows.length === 0) return;
  await sql`update tickets set first_response_due_at = v.value ->> 1,
      next_response_due_at = v.value ->> 2, resolution_due_at = v.value ->> 3,
      sla_due_at = v.value ->> 4, sla_warn_at = v.value ->> 5, sla_cycle_since = v.value ->> 6,
      sla_clock_since = v.value ->> 7, sla_elapsed_ms = v.value ->> 8, sla_paused = v.value ->> 9
    from json_each(${JSON.stringify(rows)}) v where tickets.id = v.value ->> 0`.execute(tx);
}

/** The stored SLA columns for a computed state, in the order of `SlaTicketRow.stored`. */
function ticketColumns(row: SlaTicketRow, state: SlaState): (number | null)[] {
  return [
    dueOf(state, "first_response"),
    dueOf(state, "next_response"),
    dueOf(state, "resolution"),
    state.dueAt,
    state.warnAt,
    state.cycleSince ?? row.storedCycleSince,
    state.clock.runningSince,
    state.clock.elapsedMs,
    state.clock.stopped ? 1 : 0,
  ];
}

function dueOf(state: SlaState, metric: SlaMetric): number | null {
  return state.clocks.find((c) => c.metric === metric)?.dueAt ?? null;
}

/** [ticket id, metric, level, due] */
type TimerRow = [number, SlaMetric, SlaLevel, number];

async function armTimers(tx: Tx, chunk: SlaResult[], now: number): Promise<boolean> {
  const moved: TimerRow[] = [];
  const rearmed: TimerRow[] = [];
  const cancelled: [number, string, string][] = [];
  for (const { row, state } of chunk) {
    // A different unanswered customer message than last time: a new next-response cycle.
    const newCycle = state.cycleSince !== null && state.cycleSince !== row.storedCycleSince;
    for (const metric of SLA_METRICS) {
      const clock = state.clocks.find((c) => c.metric === metric);
      // Timers exist exactly while the stored due time does (a schedule that never opens has
      // neither), so only a metric that had a due time can have timers to cancel.
      if (!clock || clock.dueAt === null || clock.warnAt === null) {
        if (row.storedDue[metric] !== null) {
          for (const level of SLA_LEVELS) {
            cancelled.push([row.id, `sla.${level}`, `${metric}:${level}`]);
          }
        }
        continue;
      }
      const target = metric === "next_response" && newCycle ? rearmed : moved;
      target.push([row.id, metric, "warning", clock.warnAt], [
        row.id,
        metric,
        "breach",
        clock.dueAt,
      ]);
    }
  }
  if (cancelled.length > 0) {
    // `+fired_at`: SQLite would otherwise pick the timers_due index and scan every armed timer.
    await sql`delete from timers where +fired_at is null and (ticket_id, kind, key) in
      (select v.value ->> 0, v.value ->> 1, v.value ->> 2 from json_each(${
      JSON.stringify(cancelled)
    }) v)`.execute(tx);
  }
  // Same rule as db/timers.ts scheduleTimer: an armed timer moves, a fired one stays fired —
  // unless a new cycle re-arms it.
  if (moved.length > 0) {
    await sql`${upsertTimers(moved, now)} where timers.fired_at is null`.execute(tx);
  }
  if (rearmed.length > 0) {
    await sql`${upsertTimers(rearmed, now)}, fired_at = null`.execute(tx);
  }
  return moved.length + rearmed.length > 0;
}

function upsertTimers(rows: TimerRow[], now: number) {
  return sql`insert into timers (ticket_id, kind, key, due_at, data_json, created_at)
    select v.value ->> 0, 'sla.' || (v.value ->> 2), (v.value ->> 1) || ':' || (v.value ->> 2),
      v.value ->> 3, json_object('metric', v.value ->> 1, 'level', v.value ->> 2), ${now}
    from json_each(${JSON.stringify(rows)}) v where true
    on conflict (ticket_id, kind, key) do update
    set due_at = excluded.due_at, data_json = excluded.data_json`;
}
