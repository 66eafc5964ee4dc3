/**
 * SPF, DKIM, DMARC and ARC on the SMTP session, with `mailauth`. The DNS resolver is the
 * system's, a given name server, or off; every lookup has a short timeout, and a resolver that
 * keeps failing is skipped for a while, so a desk without DNS answers at once with "none" or
 * "temperror" instead of making each sender wait. A crash in the checker never costs the mail: the
 * verdicts are then all "temperror".
 */
import { Buffer } from "node:buffer";
import { promises as dns } from "node:dns";
import { authenticate } from "mailauth";
import {
  type AuthResult,
  type AuthVerdicts,
  bestDkim,
  NO_VERDICTS,
  toAuthResult,
} from "../domain/mail_auth.ts";

/** What the SMTP session knows about the client. */
export interface SessionFacts {
  ip: string | null;
  helo: string | null;
  mailFrom: string | null;
}

export type Authenticator = (raw: Uint8Array, session: SessionFacts) => Promise<AuthVerdicts>;

/** A DNS lookup as mailauth calls it (node's `dns.promises.resolve` shape). */
export type DnsResolve = (name: string, rrtype: string) => Promise<unknown>;

export interface ResolverOptions {
  /** One lookup's limit. */
  timeoutMs?: number;
  /** After this many timeouts or unreachable-server errors in a row, skip DNS for `pauseMs`. */
  failuresToPause?: number;
  pauseMs?: number;
  now?: () => number;
}

/** A DNS error as mailauth understands it: ENOTFOUND/ENODATA mean "none", the rest "temperror". */
function dnsError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/**
 * Wraps a resolver with a timeout per lookup and a pause after repeated failures (a dead or
 * absent name server then costs nothing per message until the pause ends).
 */
export function guardedResolver(base: DnsResolve, options: ResolverOptions = {}): DnsResolve {
  const timeoutMs = options.timeoutMs ?? 1500;
  const failuresToPause = options.failuresToPause ?? 3;
  const pauseMs = options.pauseMs ?? 60_000;
  const now = options.now ?? Date.now;
  let failures = 0;
  let pausedUntil = 0;
  return async (name, rrtype) => {
    if (now() < pausedUntil) {
      throw dnsError("ETIMEOUT", "DNS skipped: the resolver is not answering");
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const answer = await Promise.race([
        base(name, rrtype),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(dnsError("ETIMEOUT", "DNS timeout")), timeoutMs);
        }),
      ]);
      failures = 0;
      return answer;
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (code === "ENOTFOUND" || code === "ENODATA" || code === "NXDOMAIN") {
        failures = 0;
        throw e;
      }
      if (++failures >= failuresToPause) pausedUntil = now() + pauseMs;
      throw typeof code === "string" ? e : dnsError("ETIMEOUT", String(e));
    } finally {
      clearTimeout(timer);
    }
  };
}

/**
 * A node `dns.promises.Resolver` as mailauth calls it: `resolve(name, rrtype)` already answers in
 * the shapes mailauth expects (TXT as string lists, MX as `{ exchange, priority }`). A new
 * Resolver starts with the system's name servers (/etc/resolv.conf); `setServers` points it
 * elsewhere.
 */
export function nodeResolver(resolver: dns.Resolver): DnsResolve {
  return (name, rrtype) => resolver.resolve(name, rrtype.toUpperCase());
}

/** A resolver on the system's name servers, or on the given ones (`host[:port]`, `[v6]:port`). */
export function dnsResolver(
  servers: string[] | null,
  options: { timeoutMs?: number } = {},
): dns.Resolver {
  const resolver = new dns.Resolver({ timeout: options.timeoutMs ?? 1500, tries: 1 });
  if (servers) resolver.setServers(servers);
  return resolver;
}

/**
 * `MADOGUCHI_DNS_RESOLVER`: "system" (the name servers of /etc/resolv.conf), "off", or a name
 * server `host[:port]`.
 */
export function resolverFromSetting(setting: string, options?: ResolverOptions): DnsResolve | null {
  if (setting === "off") return null;
  const servers = setting === "system" ? null : [setting];
  return guardedResolver(nodeResolver(dnsResolver(servers, options)), options);
}

const FAILED: AuthVerdicts = {
  spf: "temperror",
  dkim: "temperror",
  dmarc: "temperror",
  arc: "temperror",
};

/** An authenticator over a resolver; null resolver: no checks, every verdict "none". */
export function createAuthenticator(
  resolve: DnsResolve | null,
  options: {
    mta: string;
    /**
     * The most one message's checks may take (several lookups each within the resolver's
     * timeout); past it the verdicts are "temperror" and the mail is filed. Default 3 s.
     */
    deadlineMs?: number;
  },
): Authenticator {
  if (!resolve) return () => Promise.resolve(NO_VERDICTS);
  const lookup: DnsResolve = resolve;
  const deadlineMs = options.deadlineMs ?? 3000;
  return async (raw, session) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const late = new Promise<null>((r) => timer = setTimeout(() => r(null), deadlineMs));
      const checked = await Promise.race([check(raw, session), late]);
      return checked ?? FAILED;
    } finally {
      clearTimeout(timer);
    }
  };

  async function check(raw: Uint8Array, session: SessionFacts): Promise<AuthVerdicts> {
    try {
      const r = await authenticate(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), {
        ip: session.ip ?? undefined,
        helo: session.helo ?? undefined,
        sender: session.mailFrom ?? undefined,
        mta: options.mta,
        // mailauth's type says string lists; MX answers are objects, as node's resolver gives.
        resolver: lookup as (name: string, rrtype: string) => Promise<string[]>,
        disableBimi: true,
      });
      const result = (x: unknown): AuthResult =>
        toAuthResult((x as { status?: { result?: unknown } } | undefined)?.status?.result);
      const dkim = (r.dkim?.results ?? []).map(result);
      return {
        // Without a client IP (not over SMTP) there is nothing to check SPF against.
        spf: session.ip ? result(r.spf) : "none",
        dkim: bestDkim(dkim),
        dmarc: result(r.dmarc),
        arc: result(r.arc),
      };
    } catch (e) {
      console.error("mail auth: check failed:", e);
      return FAILED;
    }
  }
}
