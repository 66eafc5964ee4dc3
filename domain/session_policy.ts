/**
 * How long an agent's session lives: it ends after 12 hours without use, and 14 days after sign-in
 * however much it is used. Each use pushes the idle deadline back, written at most once a minute
 * so browsing does not turn every page view into a database write.
 */

export const SESSION_IDLE_MS = 12 * 3600_000;
export const SESSION_MAX_MS = 14 * 24 * 3600_000;
/** A stored deadline less than this behind the one a use would give is left as it is. */
export const SESSION_REFRESH_MS = 60_000;

/** The deadline of a session started at `createdAt`. */
export function initialSessionExpiry(createdAt: number): number {
  return Math.min(createdAt + SESSION_MAX_MS, createdAt + SESSION_IDLE_MS);
}

/** The new deadline of a session used at `now`, or null when the stored one is recent enough. */
export function refreshedSessionExpiry(
  session: { createdAt: number; expiresAt: number },
  now: number,
): number | null {
  const next = Math.min(session.createdAt + SESSION_MAX_MS, now + SESSION_IDLE_MS);
  return next - session.expiresAt >= SESSION_REFRESH_MS ? next : null;
}
