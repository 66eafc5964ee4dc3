/**
 * A fixed-window attempt counter per key (sign-in by IP and by account, the status check, public
 * forms), held in this process's memory (a restart forgets it); the clock is passed.
 *
 * An attempt is counted *before* the work it guards (a DB lookup, argon2): a check now and a count
 * after an await would let a burst of parallel requests all pass the check before any of them is
 * counted. A caller whose attempt turned out fine hands it back with `refund` or `reset`.
 */

export interface RateLimiter {
  /** Counts one attempt and returns true, or returns false (counting nothing) when limited. */
  attempt(key: string, now: number): boolean;
  /** Takes back one counted attempt (it succeeded, or another limit refused it). */
  refund(key: string, now: number): void;
  /** Forgets the key (e.g. an account after a successful sign-in). */
  reset(key: string): void;
}

export interface RateLimiterOptions {
  /** Keys are cut to this length, so a huge key cannot use up memory (254: an e-mail's limit). */
  maxKeyLength?: number;
  /** At most this many keys are kept; beyond it the oldest windows are forgotten first. */
  maxKeys?: number;
}

/** Allows `max` attempts per `windowMs` per key. */
export function createRateLimiter(
  max: number,
  windowMs: number,
  options: RateLimiterOptions = {},
): RateLimiter {
  const maxKeyLength = options.maxKeyLength ?? 254;
  const maxKeys = options.maxKeys ?? 10_000;
  // Insertion order is window-start order: a new window is (re-)inserted at the end, so the first
  // entries are always the oldest and trimming never scans the whole map.
  const entries = new Map<string, { count: number; start: number }>();

  function current(key: string, now: number) {
    const e = entries.get(key);
    if (!e) return undefined;
    if (now - e.start < windowMs) return e;
    entries.delete(key);
    return undefined;
  }

  function trim(now: number) {
    for (const [k, v] of entries) {
      if (entries.size <= maxKeys && now - v.start < windowMs) break;
      entries.delete(k);
    }
  }

  return {
    attempt(rawKey, now) {
      const key = rawKey.slice(0, maxKeyLength);
      const e = current(key, now);
      if (e && e.count >= max) return false;
      if (e) e.count++;
      else {
        entries.set(key, { count: 1, start: now });
        trim(now);
      }
      return true;
    },
    refund(rawKey, now) {
      const e = current(rawKey.slice(0, maxKeyLength), now);
      if (e && e.count > 0) e.count--;
    },
    reset: (rawKey) => void entries.delete(rawKey.slice(0, maxKeyLength)),
  };
}
