/**
 * Password sign-in, shared by the login form and the API's HTTP Basic: one failure budget per
 * client address and per account (so the two doors do not double an attacker's guesses), and the
 * same argon2id cost for unknown addresses so timing does not reveal which accounts exist.
 */
import { getConnInfo } from "hono/deno";
import { type Agent, findAgentForLogin } from "../db/agents.ts";
import type { Db } from "../db/client.ts";
import { hashPassword, verifyPassword } from "../domain/password.ts";
import { createRateLimiter } from "../domain/rate_limiter.ts";
import type { Ctx } from "./state.ts";

export const LOGIN_WINDOW_MS = 15 * 60_000;

export type SignInResult =
  | { kind: "ok"; agent: Agent }
  | { kind: "wrong" }
  | { kind: "limited" };

export interface LoginGuard {
  signIn(c: Ctx, email: string, password: string): Promise<SignInResult>;
}

/** The client's address from the socket ("unknown" under app.request() in tests). */
export function clientIp(c: Ctx): string {
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown";
  }
}

let dummyHash: Promise<string> | undefined;
function dummy(): Promise<string> {
  return dummyHash ??= hashPassword(crypto.randomUUID());
}

/** A guard allowing 5 failures per account and 20 per address in 15 minutes. */
export function createLoginGuard(db: Db, clock: () => number = Date.now): LoginGuard {
  const byIp = createRateLimiter(20, LOGIN_WINDOW_MS);
  const byEmail = createRateLimiter(5, LOGIN_WINDOW_MS);
  return {
    async signIn(c, rawEmail, password) {
      const email = rawEmail.trim().toLowerCase();
      const now = clock();
      const ip = clientIp(c);
      if (byIp.isLimited(ip, now) || byEmail.isLimited(email, now)) return { kind: "limited" };
      const row = await findAgentForLogin(db, email);
      const ok = await verifyPassword(password, row?.password_hash ?? await dummy());
      if (!ok || !row) {
        byIp.fail(ip, now);
        byEmail.fail(email, now);
        return { kind: "wrong" };
      }
      byEmail.reset(email);
      const { password_hash: _, ...agent } = row;
      return { kind: "ok", agent };
    },
  };
}
