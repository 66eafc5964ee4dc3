/** Loads the agent from the session cookie and picks the request's locale. */
import { createMiddleware } from "hono/factory";
import { getCookie } from "hono/cookie";
import { extendSession, findSessionByHash } from "../../db/agents.ts";
import { hashSecret } from "../../domain/tokens.ts";
import { refreshedSessionExpiry } from "../../domain/session_policy.ts";
import { negotiateLocale, translator } from "../../domain/i18n/mod.ts";
import type { Config } from "../../config.ts";
import type { AppDeps, AppEnv } from "../state.ts";

/**
 * The session cookie's name. Under https it carries the `__Host-` prefix: the browser then accepts
 * it only Secure, for path / and without a Domain, so a sibling subdomain cannot plant one.
 */
export function sessionCookieName(config: Pick<Config, "secureCookies">): string {
  return config.secureCookies ? "__Host-madoguchi_session" : "madoguchi_session";
}

/** Sets deps, agent (or null), locale and translator on the context. */
export function session(deps: AppDeps) {
  const cookieName = sessionCookieName(deps.config);
  return createMiddleware<AppEnv>(async function session(c, next) {
    c.set("deps", deps);
    const now = (deps.now ?? Date.now)();
    const secret = getCookie(c, cookieName);
    const { store } = deps;
    const idHash = secret ? await hashSecret(secret) : undefined;
    // Kept while nothing is committed (db/read_memo.ts; a sign-out, a password change or a
    // disabled agent commits), per second: a session lapses with time alone.
    const live = idHash === undefined ? undefined : await store.memo(
      `session\n${idHash}\n${Math.floor(now / 1000)}`,
      () => findSessionByHash(store.db, idHash, now),
    );
    const expiresAt = live && refreshedSessionExpiry(live, now);
    if (live && expiresAt) {
      await deps.store.writeTx((tx) => extendSession(tx, live.idHash, expiresAt));
    }
    const agent = live?.agent;
    c.set("agent", agent ?? null);
    const locale = negotiateLocale(agent?.locale, c.req.header("accept-language"));
    c.set("locale", locale);
    c.set("t", translator(locale));
    await next();
  });
}

/** Sends visitors without a session to the login page, remembering where they were going. */
export function requireAgent() {
  return createMiddleware<AppEnv>(async function requireAgent(c, next) {
    if (!c.get("agent")) {
      const url = new URL(c.req.url);
      const nextPath = c.req.method === "GET" ? url.pathname + url.search : "/";
      return c.redirect(`/login?next=${encodeURIComponent(nextPath)}`, 303);
    }
    await next();
  });
}

/** Admin areas answer 404 to everyone else: they do not admit to existing. */
export function requireAdmin() {
  return createMiddleware<AppEnv>(async function requireAdmin(c, next) {
    if (c.get("agent")?.role !== "admin") return c.notFound();
    await next();
  });
}

/**
 * Only a path on our own origin may be a post-login destination (no open redirect). Browsers drop
 * tabs and newlines from URLs and read "\\" as "/", so "/\t/evil.example" would leave the site:
 * resolve against a fixed origin and keep the result only if it stayed there. Dot segments
 * ("/.//evil", "/x/..//evil", "/%2e%2e//evil") collapse into "//evil" only once resolved, and a
 * Location of "//evil" is another host: the normalised path must start with exactly one slash.
 * The input must already start with "/", so which origin it is resolved against does not matter.
 */
export function safeNextPath(next: string | undefined | null): string {
  if (!next || !next.startsWith("/")) return "/";
  for (const ch of next) if (ch <= " " || ch === "\\") return "/";
  let url: URL;
  try {
    url = new URL(next, "http://madoguchi.invalid");
  } catch {
    return "/";
  }
  if (url.origin !== "http://madoguchi.invalid" || url.pathname.startsWith("//")) return "/";
  return url.pathname + url.search + url.hash;
}
