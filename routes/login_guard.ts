/**
 * Password sign-in, shared by the login form and the API's HTTP Basic: one failure budget per
 * client address and per account (so the two doors do not double an attacker's guesses), and the
 * same argon2id cost for unknown addresses so timing does not reveal which accounts exist.
 *
 * argon2id runs on Worker threads (workers/password_pool.ts). A script calling the API with Basic
 * credentials would still pay ~170 ms of CPU per request, so a verified Basic credential is
 * remembered for a minute, in memory, under a SHA-256 of e-mail and password together with the
 * stored hash it matched: a changed password (a new stored hash) is never served from memory.
 */
import { getConnInfo } from "hono/deno";
import { type Agent, findAgentForLogin } from "../db/agents.ts";
import type { Db } from "../db/client.ts";
import { hashPassword, verifyPassword } from "../workers/password_pool.ts";
import { createHash } from "node:crypto";
import { createRateLimiter, type RateLimiter } from "./rate_limiter.ts";
import { clientKey, type TrustedProxies, trustedProxies } from "../domain/client_address.ts";
import type { Config } from "../config.ts";
import type { Ctx } from "./state.ts";

export const LOGIN_WINDOW_MS = 15 * 60_000;
/** How long a verified Basic credential is remembered. */
export const REMEMBER_BASIC_MS = 60_000;
const REMEMBERED_MAX = 1000;

export type SignInResult =
  | { kind: "ok"; agent: Agent }
  | { kind: "wrong" }
  | { kind: "limited" };

export interface LoginGuard {
  /** Checks a password; `remember` (HTTP Basic) may answer from a recent verification. */
  signIn(
    c: Ctx,
    email: string,
    password: string,
    options?: { remember?: boolean },
  ): Promise<SignInResult>;
}

export interface LoginGuardOptions {
  /** Checks a password against a stored hash (on the worker pool by default). */
  verify?: (password: string, hash: string) => Promise<boolean>;
}

const proxiesByConfig = new WeakMap<Config, TrustedProxies>();

/**
 * The client's limiter key: its address (an IPv6 one's /64), taken from X-Forwarded-For only when
 * the socket peer is one of MADOGUCHI_TRUSTED_PROXIES ("unknown" under app.request() in tests).
 */
export function clientIp(c: Ctx): string {
  let peer: string | undefined;
  try {
    peer = getConnInfo(c).remote.address;
  } catch {
    peer = undefined;
  }
  const config = c.get("deps").config;
  let trusted = proxiesByConfig.get(config);
  if (!trusted) proxiesByConfig.set(config, trusted = trustedProxies(config.trustedProxies));
  return clientKey(peer, c.req.header("x-forwarded-for"), trusted);
}

let dummyHash: Promise<string> | undefined;
function dummy(): Promise<string> {
  return dummyHash ??= hashPassword(crypto.randomUUID());
}

/** The memory's key: synchronous, so a burst is sorted out before its first await. */
function credentialKey(email: string, password: string): string {
  return createHash("sha256").update(`${email}\0${password}`).digest("hex");
}

/** Whether the limiter would take an attempt now, counting nothing. */
function allows(limiter: RateLimiter, key: string, now: number): boolean {
  if (!limiter.attempt(key, now)) return false;
  limiter.refund(key, now);
  return true;
}

/** A guard allowing 5 failed attempts per account and 20 per client address in 15 minutes. */
export function createLoginGuard(
  db: Db,
  clock: () => number = Date.now,
  options: LoginGuardOptions = {},
): LoginGuard {
  const verify = options.verify ?? verifyPassword;
  const byIp = createRateLimiter(20, LOGIN_WINDOW_MS);
  const byEmail = createRateLimiter(5, LOGIN_WINDOW_MS);
  /** Credential key → the stored hash it was verified against, until when. */
  const remembered = new Map<string, { passwordHash: string; until: number }>();

  function remember(key: string, passwordHash: string, now: number) {
    remembered.delete(key);
    remembered.set(key, { passwordHash, until: now + REMEMBER_BASIC_MS });
    if (remembered.size <= REMEMBERED_MAX) return;
    for (const [k, v] of remembered) if (v.until <= now) remembered.delete(k);
    // Still full: forget the oldest (a Map iterates in insertion order).
    for (const k of remembered.keys()) {
      if (remembered.size <= REMEMBERED_MAX) break;
      remembered.delete(k);
    }
  }

  return {
    async signIn(c, rawEmail, password, signInOptions = {}) {
      const email = rawEmail.trim().toLowerCase();
      const now = clock();
      const ip = clientIp(c);
      const key = signInOptions.remember ? credentialKey(email, password) : null;
      const known = key ? remembered.get(key) : undefined;
      if (key && known && known.until > now) {
        // Not a guess (it matched a minute ago), so it counts no attempt; a limited account or
        // address stays limited all the same.
        if (!allows(byIp, ip, now) || !allows(byEmail, email, now)) return { kind: "limited" };
        const row = await findAgentForLogin(db, email);
        if (row && row.password_hash === known.passwordHash) {
          const { password_hash: _, ...agent } = row;
          return { kind: "ok", agent };
        }
        // The password changed or the agent was disabled since: check it like any attempt.
        remembered.delete(key);
      }
      // Counted before the first await: parallel guesses each take an attempt or are refused.
      if (!byIp.attempt(ip, now)) return { kind: "limited" };
      if (!byEmail.attempt(email, now)) {
        byIp.refund(ip, now); // nothing was checked
        return { kind: "limited" };
      }
      const row = await findAgentForLogin(db, email);
      const ok = await verify(password, row?.password_hash ?? await dummy());
      if (ok && key && row) remember(key, row.password_hash, now);
      if (!ok || !row) return { kind: "wrong" };
      // The account's failures are forgiven; the address keeps its earlier ones, so one valid
      // login cannot clear a budget that was spent guessing other accounts.
      byEmail.reset(email);
      byIp.refund(ip, now);
      const { password_hash: _, ...agent } = row;
      return { kind: "ok", agent };
    },
  };
}
