/**
 * Which client a request came from, for per-client limits. Pure.
 *
 * Behind a TLS proxy the socket peer is the proxy, shared by every client, so the proxy's
 * X-Forwarded-For is believed — but only when the peer is a proxy the operator listed
 * (MADOGUCHI_TRUSTED_PROXIES), and only its right end: each proxy appends the address it saw, so
 * the right-most entry that is not one of our proxies is the client; anything left of it was
 * written by the client and proves nothing.
 *
 * IPv6 clients are keyed by their /64: one subscriber usually holds a whole /64 and could
 * otherwise take a fresh address for every attempt.
 *
 * @module
 */

export type IpAddress =
  | { version: 4; bytes: number[] }
  | { version: 6; groups: number[] };

/** An IPv4 or IPv6 literal (an IPv4-mapped IPv6 address reads as IPv4), or undefined. */
export function parseIp(text: string): IpAddress | undefined {
  const s = text.trim();
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(s)) {
    const bytes = s.split(".").map(Number);
    return bytes.every((b) => b <= 255) ? { version: 4, bytes } : undefined;
  }
  const groups = parseIpv6(s.replace(/%[\w.-]+$/, ""));
  if (!groups) return undefined;
  // ::ffff:a.b.c.d is an IPv4 client on a dual-stack socket.
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return {
      version: 4,
      bytes: [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff],
    };
  }
  return { version: 6, groups };
}

function parseIpv6(s: string): number[] | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || s.length > 45) return undefined;
  let tail = s;
  const v4: number[] = [];
  const dotted = /(?:^|:)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(s);
  if (dotted) {
    const ip = parseIp(dotted[1]);
    if (ip?.version !== 4) return undefined;
    v4.push((ip.bytes[0] << 8) | ip.bytes[1], (ip.bytes[2] << 8) | ip.bytes[3]);
    tail = s.slice(0, s.length - dotted[1].length);
    if (tail.endsWith(":") && !tail.endsWith("::")) tail = tail.slice(0, -1);
  }
  const halves = tail.split("::");
  if (halves.length > 2) return undefined;
  const words = (part: string) => part === "" ? [] : part.split(":");
  const head = words(halves[0]);
  const rest = halves.length === 2 ? words(halves[1]) : [];
  if ([...head, ...rest].some((w) => !/^[0-9a-fA-F]{1,4}$/.test(w))) return undefined;
  const known = head.length + rest.length + v4.length;
  if (halves.length === 1 ? known !== 8 : known > 7) return undefined;
  const zeros = new Array(8 - known).fill(0);
  return [
    ...head.map((w) => parseInt(w, 16)),
    ...zeros,
    ...rest.map((w) => parseInt(w, 16)),
    ...v4,
  ];
}

/** The address in canonical form, for comparing (IPv6 fully expanded, lower case). */
function canonical(ip: IpAddress): string {
  return ip.version === 4
    ? ip.bytes.join(".")
    : ip.groups.map((g) => g.toString(16).padStart(4, "0")).join(":");
}

/** The limiter key of an address: an IPv4 address itself, an IPv6 address's /64. */
export function rateLimitKey(ip: IpAddress): string {
  return ip.version === 4
    ? ip.bytes.join(".")
    : `${ip.groups.slice(0, 4).map((g) => g.toString(16)).join(":")}::/64`;
}

/** One X-Forwarded-For entry: a bare address, `a.b.c.d:port` or `[v6]:port`. */
function parseForwardedEntry(entry: string): IpAddress | undefined {
  const s = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(s);
  if (bracketed) return parseIp(bracketed[1]);
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(s);
  return parseIp(v4WithPort ? v4WithPort[1] : s);
}

/** A list of trusted proxy addresses, ready for `clientKey`. */
export interface TrustedProxies {
  has(ip: IpAddress): boolean;
}

/** The trusted set from configured address literals (invalid ones are the config's to refuse). */
export function trustedProxies(addresses: string[]): TrustedProxies {
  const set = new Set(
    addresses.map(parseIp).filter((ip) => ip !== undefined).map(canonical),
  );
  return { has: (ip) => set.has(canonical(ip)) };
}

/**
 * The limiter key of the client: the socket peer's, or — when the peer is a trusted proxy — that
 * of the right-most X-Forwarded-For address that is not a trusted proxy. "unknown" when the peer
 * is not known (app.request() in tests).
 */
export function clientKey(
  peer: string | undefined,
  forwardedFor: string | undefined,
  trusted: TrustedProxies,
): string {
  const peerIp = peer === undefined ? undefined : parseIp(peer);
  if (!peerIp) return peer ? peer.slice(0, 64) : "unknown";
  let client = peerIp;
  if (trusted.has(peerIp) && forwardedFor) {
    const hops = forwardedFor.split(",").reverse();
    for (const hop of hops) {
      const ip = parseForwardedEntry(hop);
      // Garbage where an address belongs: stop at the last hop we could read.
      if (!ip) break;
      client = ip;
      if (!trusted.has(ip)) break;
    }
  }
  return rateLimitKey(client);
}
