/**
 * Limits the SMTP listener shares across its connections: the bytes of mail held in memory, and
 * how many connections one client address holds. In memory only, like the login limits.
 */
import { parseIp, rateLimitKey } from "../domain/client_address.ts";

/** Bytes of message data held in memory across all connections, never more than `limit`. */
export interface ByteBudget {
  readonly limit: number;
  used(): number;
  /** Takes n bytes if they fit; false (taking nothing) if they do not. */
  take(n: number): boolean;
  release(n: number): void;
}

/** A budget of `limit` bytes. */
export function createByteBudget(limit: number): ByteBudget {
  let used = 0;
  return {
    limit,
    used: () => used,
    take(n) {
      if (used + n > limit) return false;
      used += n;
      return true;
    },
    release(n) {
      used = Math.max(0, used - n);
    },
  };
}

/** Open connections per client key, at most `max` each. */
export interface ConnectionCounter {
  /** Counts a connection from key if it is under the cap; false (counting nothing) if not. */
  open(key: string): boolean;
  close(key: string): void;
}

/** A counter allowing `max` connections per key. */
export function createConnectionCounter(max: number): ConnectionCounter {
  const open = new Map<string, number>();
  return {
    open(key) {
      const n = open.get(key) ?? 0;
      if (n >= max) return false;
      open.set(key, n + 1);
      return true;
    },
    close(key) {
      const n = (open.get(key) ?? 0) - 1;
      if (n > 0) open.set(key, n);
      else open.delete(key);
    },
  };
}

/** The key a client is limited by: its IPv4 address, or its IPv6 address's /64. */
export function smtpClientKey(remoteAddress: string | undefined): string {
  const ip = remoteAddress ? parseIp(remoteAddress) : undefined;
  return ip ? rateLimitKey(ip) : remoteAddress ?? "unknown";
}
