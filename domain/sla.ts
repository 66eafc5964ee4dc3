/**
 * SLA clocks of one ticket. Pure: policy targets, the department's schedule, facts from the
 * ticket's timeline and the clock in, due instants out. db/sla.ts stores the result on the ticket
 * and arms the timers.
 *
 * - **First response**: from the ticket's creation until the first agent reply.
 * - **Next response**: after the first reply, from the first customer message an agent has not
 *   answered yet until the next agent reply; each such message after a reply starts a new cycle.
 * - **Resolution**: business time the ticket spends needing us (未対応/対応中). Waiting on the
 *   customer (保留) pauses it, 対応完了/対応不要 stops it; reopening resumes it where it stopped.
 *   The elapsed part is summed with businessMillisecondsBetween, exact to the millisecond.
 *
 * Response clocks only run while the ticket needs us: a ticket parked in 保留 without a reply
 * owes nothing until it comes back, and then is due at the original instant (no extension).
 * Targets are business minutes of the department's schedule, asked through a BusinessClock
 * (domain/business_clock.ts; ALWAYS_OPEN when the department has no schedule).
 *
 * @module
 */
import type { BusinessClock } from "./business_clock.ts";
import type { TicketStatus } from "./ticket_status.ts";

export const SLA_METRICS = ["first_response", "next_response", "resolution"] as const;
export type SlaMetric = typeof SLA_METRICS[number];
export const SLA_LEVELS = ["warning", "breach"] as const;
export type SlaLevel = typeof SLA_LEVELS[number];

/** When to warn: once `percent` of the target has elapsed, or `minutes` before the due time. */
export type WarningThreshold = { kind: "percent" | "minutes"; value: number };

/** A policy's targets in business minutes; null: no target for that metric. */
export interface SlaTargets {
  firstResponseMinutes: number | null;
  nextResponseMinutes: number | null;
  resolutionMinutes: number | null;
  warning: WarningThreshold;
}

/**
 * The resolution clock as stored on the ticket: business ms it ran before `runningSince`, and
 * since when it runs (null: stopped). `stopped` tells a stopped clock from one never started.
 */
export interface ResolutionClock {
  elapsedMs: number;
  runningSince: number | null;
  stopped: boolean;
}

/** What the ticket's timeline says, read by db/sla.ts. */
export interface SlaFacts {
  createdAt: number;
  status: TicketStatus;
  /** The first agent reply, or null. */
  firstResponseAt: number | null;
  /** The first person-written customer message after the last agent reply, or null. */
  awaitingSince: number | null;
  clock: ResolutionClock;
}

/** One running SLA clock. `dueAt` and `warnAt` are null only if the schedule never opens. */
export interface SlaClock {
  metric: SlaMetric;
  /** The cycle's start (first/next response) or when the resolution clock last resumed. */
  since: number;
  dueAt: number | null;
  warnAt: number | null;
  targetMinutes: number;
}

export interface SlaState {
  /** The running clocks, in SLA_METRICS order. */
  clocks: SlaClock[];
  /** The resolution clock to store. */
  clock: ResolutionClock;
  /** The start of the current next-response cycle (a new value re-arms its timers). */
  cycleSince: number | null;
  /** The nearest due and warning instants among the running clocks. */
  dueAt: number | null;
  warnAt: number | null;
}

/** Statuses in which the ticket needs us: every clock runs. */
const NEEDS_US: ReadonlySet<TicketStatus> = new Set(["new", "open"]);

/** Computes which clocks run and when each is due and warns. */
export function computeSla(
  targets: SlaTargets | null,
  business: BusinessClock,
  facts: SlaFacts,
  now: number,
): SlaState {
  const running = NEEDS_US.has(facts.status);
  const clock = advanceClock(business, facts, running, now);
  const clocks: SlaClock[] = [];
  const cycleSince = running && facts.firstResponseAt !== null ? facts.awaitingSince : null;
  if (targets && running) {
    const { firstResponseMinutes: first, nextResponseMinutes: next } = targets;
    if (first !== null && facts.firstResponseAt === null) {
      clocks.push(responseClock("first_response", business, targets, facts.createdAt, first));
    }
    if (next !== null && cycleSince !== null) {
      clocks.push(responseClock("next_response", business, targets, cycleSince, next));
    }
    const resolution = targets.resolutionMinutes;
    if (resolution !== null && clock.runningSince !== null) {
      const since = clock.runningSince;
      const targetMs = resolution * 60_000;
      const warnMs = warningOffsetMs(targets.warning, resolution);
      clocks.push({
        metric: "resolution",
        since,
        dueAt: business.add(since, targetMs - clock.elapsedMs),
        warnAt: business.add(since, warnMs - clock.elapsedMs),
        targetMinutes: resolution,
      });
    }
  }
  return {
    clocks,
    clock,
    cycleSince,
    dueAt: earliest(clocks.map((c) => c.dueAt)),
    warnAt: earliest(clocks.map((c) => c.warnAt)),
  };
}

/** Business ms the resolution clock has run up to `now`. */
export function resolutionElapsedMs(
  business: BusinessClock,
  clock: ResolutionClock,
  now: number,
): number {
  if (clock.runningSince === null) return clock.elapsedMs;
  return clock.elapsedMs + business.between(clock.runningSince, now);
}

/** Business ms after the cycle start at which to warn. */
export function warningOffsetMs(warning: WarningThreshold, targetMinutes: number): number {
  const minutes = warning.kind === "percent"
    ? targetMinutes * Math.min(Math.max(warning.value, 0), 100) / 100
    : targetMinutes - warning.value;
  return Math.max(0, Math.round(minutes * 60_000));
}

function responseClock(
  metric: SlaMetric,
  business: BusinessClock,
  targets: SlaTargets,
  since: number,
  minutes: number,
): SlaClock {
  return {
    metric,
    since,
    dueAt: business.add(since, minutes * 60_000),
    warnAt: business.add(since, warningOffsetMs(targets.warning, minutes)),
    targetMinutes: minutes,
  };
}

function advanceClock(
  business: BusinessClock,
  facts: SlaFacts,
  running: boolean,
  now: number,
): ResolutionClock {
  const { elapsedMs, runningSince, stopped } = facts.clock;
  if (running) {
    if (runningSince !== null) return facts.clock;
    // A ticket from before SLAs existed started its clock when it was created.
    return { elapsedMs, runningSince: stopped ? now : facts.createdAt, stopped: false };
  }
  if (runningSince === null) return { elapsedMs, runningSince: null, stopped: true };
  const ran = Math.max(0, business.between(runningSince, now));
  return { elapsedMs: elapsedMs + ran, runningSince: null, stopped: true };
}

function earliest(instants: (number | null)[]): number | null {
  let min: number | null = null;
  for (const t of instants) if (t !== null && (min === null || t < min)) min = t;
  return min;
}
