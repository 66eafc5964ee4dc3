/**
 * Who gets a new ticket automatically, per department: nobody (manual), a named first receiver
 * (一次受付), round-robin, or the least loaded agent (fewest open tickets). Only available agents
 * are ever chosen: enabled, present (or their absence has ended) and in the department. The agent
 * who last handled the customer may come first. Pure: the caller reads the candidates.
 */

export const ASSIGNMENT_MODES = [
  "manual",
  "first_receiver",
  "round_robin",
  "least_loaded",
] as const;
export type AssignmentMode = typeof ASSIGNMENT_MODES[number];

export function isAssignmentMode(s: unknown): s is AssignmentMode {
  return typeof s === "string" && (ASSIGNMENT_MODES as readonly string[]).includes(s);
}

export interface Candidate {
  id: number;
  name: string;
  disabled: boolean;
  absent: boolean;
  /** When an absence ends by itself; null: until the agent comes back. */
  absentUntil: number | null;
  inDepartment: boolean;
  /** Open tickets (not resolved or closed) assigned to the agent. */
  openTickets: number;
}

export interface AssignmentRule {
  mode: AssignmentMode;
  firstReceiverId: number | null;
  /** The agent round-robin chose last; the next one in id order follows. */
  roundRobinLast: number | null;
  /** The agent who last handled this customer, tried first when set. */
  preferredId: number | null;
}

/** Why an agent was chosen, for the history ("round-robin: 佐藤 (次: 鈴木)"). */
export interface AssignmentChoice {
  agentId: number;
  name: string;
  via: "last_agent" | "first_receiver" | "round_robin" | "least_loaded";
  /** Round-robin and least-loaded: who comes next. */
  nextName?: string;
}

/** Whether the agent may be given a ticket at `now`. */
export function isAvailable(c: Candidate, now: number): boolean {
  if (c.disabled || !c.inDepartment) return false;
  return !c.absent || (c.absentUntil !== null && c.absentUntil <= now);
}

/** The available agents in rotation order: those after `last` (by id), then the rest. */
function rotation(available: Candidate[], last: number | null): Candidate[] {
  const sorted = [...available].sort((a, b) => a.id - b.id);
  if (last === null) return sorted;
  const i = sorted.findIndex((c) => c.id > last);
  return i < 0 ? sorted : [...sorted.slice(i), ...sorted.slice(0, i)];
}

/** The agent a new ticket goes to, or null (manual, or nobody available). */
export function chooseAssignee(
  rule: AssignmentRule,
  candidates: readonly Candidate[],
  now: number,
): AssignmentChoice | null {
  if (rule.mode === "manual") return null;
  const available = candidates.filter((c) => isAvailable(c, now));
  if (available.length === 0) return null;
  const preferred = available.find((c) => c.id === rule.preferredId);
  if (preferred) return { agentId: preferred.id, name: preferred.name, via: "last_agent" };
  if (rule.mode === "first_receiver") {
    const first = available.find((c) => c.id === rule.firstReceiverId);
    return first ? { agentId: first.id, name: first.name, via: "first_receiver" } : null;
  }
  if (rule.mode === "round_robin") {
    const order = rotation(available, rule.roundRobinLast);
    const [chosen, next] = [order[0], order[1] ?? order[0]];
    return { agentId: chosen.id, name: chosen.name, via: "round_robin", nextName: next.name };
  }
  // Least loaded: the fewest open tickets; ties go round in rotation order, so they share.
  const least = Math.min(...available.map((c) => c.openTickets));
  const order = rotation(available.filter((c) => c.openTickets === least), rule.roundRobinLast);
  const chosen = order[0];
  const after = available.map((c) =>
    c.id === chosen.id ? { ...c, openTickets: c.openTickets + 1 } : c
  );
  const nextLeast = Math.min(...after.map((c) => c.openTickets));
  const next = rotation(after.filter((c) => c.openTickets === nextLeast), chosen.id)[0];
  return { agentId: chosen.id, name: chosen.name, via: "least_loaded", nextName: next.name };
}
