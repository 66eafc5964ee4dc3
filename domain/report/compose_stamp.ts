/**
 * Handling time without client JavaScript: the reply form carries a stamp of the instant the
 * server rendered it, signed (HMAC, domain/form_token.ts) for one agent and one ticket so it
 * cannot be edited or carried to another reply. On send, the time since the stamp is what the
 * agent spent composing, capped (a tab left open overnight is not a night's work).
 */
import { issueFormToken, verifyFormToken } from "../form_token.ts";

/** The most one reply counts for. */
export const HANDLING_CAP_SECONDS = 2 * 3600;

function purpose(agentId: number, ticketId: number): string {
  return `compose:${agentId}:${ticketId}`;
}

/** The stamp of a reply form rendered at `now` for this agent and ticket. */
export function issueComposeStamp(
  key: CryptoKey,
  s: { agentId: number; ticketId: number; now: number },
): Promise<string> {
  return issueFormToken(key, purpose(s.agentId, s.ticketId), s.now);
}

/**
 * When the form was opened and the seconds since (capped), or null for a stamp that is not ours,
 * not this agent's or ticket's, or from the future.
 */
export async function composeTime(
  key: CryptoKey,
  stamp: string,
  s: { agentId: number; ticketId: number; now: number },
): Promise<{ openedAt: number; seconds: number } | null> {
  // "expired" (older than a day) still names when the form was opened: it counts as the cap.
  if (await verifyFormToken(key, stamp, purpose(s.agentId, s.ticketId), s.now) === "invalid") {
    return null;
  }
  const openedAt = parseInt(stamp.split(".")[0], 36);
  if (!Number.isSafeInteger(openedAt) || openedAt > s.now) return null;
  return {
    openedAt,
    seconds: Math.min(Math.round((s.now - openedAt) / 1000), HANDLING_CAP_SECONDS),
  };
}
