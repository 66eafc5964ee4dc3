/**
 * The stale-send guard's rule: a reply composed against an older version of the ticket is held
 * when, since then, the customer wrote or someone replied — the agent has not seen what they are
 * answering. Notes, status or assignment changes move the version too, but do not hold a reply.
 */

/** A message that arrived after the version a reply was composed against. */
export interface ChangeSince {
  direction: "in" | "out" | "note";
  autoKind: string;
  agentId: number | null;
}

/** Whether this change makes a reply composed before it stale. */
export function holdsReply(m: ChangeSince): boolean {
  if (m.direction === "in") return true;
  // Another agent's (or our own earlier) reply; automatic mail (auto_kind) does not count.
  return m.direction === "out" && m.autoKind === "none" && m.agentId !== null;
}

/** Parses an `If-Match` value carrying a ticket version: `W/"v12"`, `"v12"`, `"12"` or `12`. */
export function versionFromEtag(value: string): number | null {
  const m = /^(?:W\/)?"?v?(\d{1,15})"?$/.exec(value.trim());
  return m ? Number(m[1]) : null;
}

/** The ETag of a ticket at `version` (weak: delivery states change without a new version). */
export function ticketEtag(version: number): string {
  return `W/"v${version}"`;
}
