/**
 * When a customer link (/c/<token>) works. A link is valid while its ticket is not closed, and for
 * LINK_GRACE_DAYS after the ticket's last change once it is resolved or needs no action, so a
 * customer can still read the answer and write back. An agent's "rotate customer link" revokes
 * every link of the ticket at once (and issues a new access key); replies carry fresh links.
 */
import type { TicketStatus } from "./ticket_status.ts";

export const LINK_GRACE_DAYS = 30;

/**
 * How long a dead link (revoked, or expired with its closed ticket) is kept after it died, so it
 * still answers 410 with the way to the status check; housekeeping then deletes it (404).
 */
export const LINK_RETENTION_DAYS = 90;

export type LinkState = "valid" | "revoked" | "expired";

/** The state of a link given its ticket. */
export function customerLinkState(
  link: { revokedAt: number | null },
  ticket: { status: TicketStatus; updatedAt: number },
  now: number,
): LinkState {
  if (link.revokedAt !== null) return "revoked";
  return isClosedForCustomer(ticket, now) ? "expired" : "valid";
}

/** True when a closed ticket is past its grace period: no more customer access. */
export function isClosedForCustomer(
  ticket: { status: TicketStatus; updatedAt: number },
  now: number,
): boolean {
  const closed = ticket.status === "resolved" || ticket.status === "no_action";
  return closed && now - ticket.updatedAt > LINK_GRACE_DAYS * 24 * 3600_000;
}

/**
 * Which messages a customer sees on their page: what they wrote and what we answered. Never an
 * internal note, never automatic mail (confirmations, bounces, out-of-office replies).
 */
export function visibleToCustomer(m: { direction: "in" | "out" | "note"; autoKind: string }) {
  return m.direction !== "note" && m.autoKind === "none";
}
