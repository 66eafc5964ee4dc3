/**
 * SPF, DKIM, DMARC and ARC on the SMTP session, with `mailauth`. The DNS resolver is the
 * system's, a given name server, or off; every lookup has a short timeout, and a resolver that
 * keeps failing is skipped for a while, so a desk without DNS answers at once with "none" or
 * "temperror" instead of making each sender wait. A crash in the checker never costs the mail: the
 * verdicts are then all "temperror".
 */
import { Buffer } from "node:buffer";
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

/** Deno's resolver in node's shape, against the system's name server or a given one. */
export function denoResolver(nameServer?: { ipAddr: string; port: number }): DnsResolve {
  return async (name, rrtype) => {
    const type = rrtype.toUpperCase() as Deno.RecordType;
    try {
      const records = await Deno.resolveDns(name, type, nameServer ? { nameServer } : {});
      if (type === "MX") {
        return (records as Deno.MxRecord[]).map((r) => ({
          priority: r.preference,
          exchange: r.exchange.replace(/\.$/, ""),
        }));
      }
      if (Array.isArray(records) && records.length === 0) throw dnsError("ENODATA", name);
      return records;
    } catch (e) {
      if ((e as { code?: unknown }).code) throw e;
      if (e instanceof Deno.errors.NotFound) throw dnsError("ENOTFOUND", name);
      throw dnsError("ESERVFAIL", e instanceof Error ? e.message : String(e));
    }
  };
}

/** `MADOGUCHI_DNS_RESOLVER`: "system", "off", or a name server `host[:port]`. */
export function resolverFromSetting(setting: string, options?: ResolverOptions): DnsResolve | null {
  if (setting === "off") return null;
  if (setting === "system") return guardedResolver(denoResolver(), options);
  const m = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(setting);
  const ipAddr = m?.[1] ?? setting;
  const port = m?.[2] ? Number(m[2]) : 53;
  return guardedResolver(denoResolver({ ipAddr, port }), options);
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
  options: { mta: string },
): Authenticator {
  if (!resolve) return () => Promise.resolve(NO_VERDICTS);
  return async (raw, session) => {
    try {
      const r = await authenticate(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength), {
        ip: session.ip ?? undefined,
        helo: session.helo ?? undefined,
        sender: session.mailFrom ?? undefined,
        mta: options.mta,
        // mailauth's type says string lists; MX answers are objects, as node's resolver gives.
        resolver: resolve as (name: string, rrtype: string) => Promise<string[]>,
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
  };
}
