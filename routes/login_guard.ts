/**
 * Password sign-in, shared by the login form and the API's HTTP Basic: one failure budget per
 * client address and per account (so the two doors do not double an attacker's guesses), and the
 * same argon2id cost for unknown addresses so timing does not reveal which accounts exist.
 */
import { getConnInfo } from "hono/deno";
import { type Agent, findAgentForLogin } from "../db/agents.ts";
import type { Db } from "../db/client.ts";
import { hashPassword, verifyPassword } from "../domain/password.ts";
import { createRateLimiter } from "./rate_limiter.ts";
import { clientKey, type TrustedProxies, trustedProxies } from "../domain/client_address.ts";
import type { Config } from "../config.ts";
import type { Ctx } from "./state.ts";

export const LOGIN_WINDOW_MS = 15 * 60_000;

export type SignInResult =
  | { kind: "ok"; agent: Agent }
  | { kind: "wrong" }
  | { kind: "limited" };

export interface LoginGuard {
  signIn(c: Ctx, email: string, password: string): Promise<SignInResult>;
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

/** A guard allowing 5 failed attempts per account and 20 per client address in 15 minutes. */
export function createLoginGuard(db: Db, clock: () => number = Date.now): LoginGuard {
  const byIp = createRateLimiter(20, LOGIN_WINDOW_MS);
  const byEmail = createRateLimiter(5, LOGIN_WINDOW_MS);
  return {
    async signIn(c, rawEmail, password) {
      const email = rawEmail.trim().toLowerCase();
      const now = clock();
      const ip = clientIp(c);
      // Counted before the first await: parallel guesses each take an attempt or are refused.
      if (!byIp.attempt(ip, now)) return { kind: "limited" };
      if (!byEmail.attempt(email, now)) {
        byIp.refund(ip, now); // nothing was checked
        return { kind: "limited" };
      }
      const row = await findAgentForLogin(db, email);
      const ok = await verifyPassword(password, row?.password_hash ?? await dummy());
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
