/** Ticket priorities, lowest first; SLA policies are set per department and priority. */

export const PRIORITIES = ["low", "normal", "high", "urgent"] as const;
export type Priority = typeof PRIORITIES[number];

/** Type guard for a priority from a form, the API or the database. */
export function isPriority(p: unknown): p is Priority {
  return typeof p === "string" && (PRIORITIES as readonly string[]).includes(p);
}

/** One step up ("raise priority" escalation); urgent stays urgent. */
export function raisePriority(p: Priority): Priority {
  return PRIORITIES[Math.min(PRIORITIES.indexOf(p) + 1, PRIORITIES.length - 1)];
}
