/** A fixed-window failure counter per key (login by IP and by address). Pure: the clock is passed. */

export interface RateLimiter {
  /** True when the key has used up its attempts in the current window. */
  isLimited(key: string, now: number): boolean;
  /** Counts one failed attempt. */
  fail(key: string, now: number): void;
  /** Forgets the key (after a success). */
  reset(key: string): void;
}

/** Allows `max` failures per `windowMs` per key. */
export function createRateLimiter(max: number, windowMs: number): RateLimiter {
  const entries = new Map<string, { count: number; start: number }>();
  function current(key: string, now: number) {
    const e = entries.get(key);
    if (!e || now - e.start >= windowMs) return undefined;
    return e;
  }
  return {
    isLimited: (key, now) => (current(key, now)?.count ?? 0) >= max,
    fail(key, now) {
      const e = current(key, now);
      if (e) e.count++;
      else entries.set(key, { count: 1, start: now });
      // Bound memory under a spray of keys: drop expired entries now and then.
      if (entries.size > 10_000) {
        for (const [k, v] of entries) if (now - v.start >= windowMs) entries.delete(k);
      }
    },
    reset: (key) => void entries.delete(key),
  };
}
