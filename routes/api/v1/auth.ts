/**
 * API authentication, per request and never by cookie: `Authorization: Bearer <token>` with a token
 * from Settings → API tokens (or `deno task token`), or HTTP Basic with an agent's e-mail and
 * password so a script can start from the bootstrap admin (as Zammad allows). Basic costs an
 * argon2id verification (on a worker thread) unless the same credential was verified in the last
 * minute, so tokens are still the better choice for anything frequent.
 */
import { createMiddleware } from "hono/factory";
import { type Agent, findApiTokenAgent } from "../../../db/agents.ts";
import { LOGIN_WINDOW_MS, type LoginGuard } from "../../login_guard.ts";
import type { AppDeps, AppEnv, Ctx } from "../../state.ts";
import { ApiError } from "./errors.ts";

const CHALLENGE = { "www-authenticate": 'Bearer, Basic realm="madoguchi"' };

function unauthorized(message: string): ApiError {
  return new ApiError(401, "unauthorized", message, CHALLENGE);
}

/** `user:password` from a Basic credential, or undefined when it does not decode. */
function decodeBasic(encoded: string): { email: string; password: string } | undefined {
  try {
    const bytes = Uint8Array.from(atob(encoded), (ch) => ch.charCodeAt(0));
    const pair = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    const colon = pair.indexOf(":");
    if (colon < 0) return undefined;
    return { email: pair.slice(0, colon).trim().toLowerCase(), password: pair.slice(colon + 1) };
  } catch {
    return undefined;
  }
}

/** Sets `agent` from the Authorization header or answers 401 (429 after repeated bad passwords). */
export function apiAuth(deps: AppDeps, guard: LoginGuard) {
  async function basicAgent(c: Ctx, encoded: string): Promise<Agent> {
    const credentials = decodeBasic(encoded);
    if (!credentials) throw unauthorized("Malformed Basic credentials");
    const result = await guard.signIn(c, credentials.email, credentials.password, {
      remember: true,
    });
    if (result.kind === "limited") {
      throw new ApiError(429, "rate_limited", "Too many failed sign-in attempts; try again later", {
        "retry-after": String(LOGIN_WINDOW_MS / 1000),
      });
    }
    if (result.kind === "wrong") throw unauthorized("Invalid e-mail or password");
    return result.agent;
  }

  return createMiddleware<AppEnv>(async function apiAuth(c, next) {
    const header = c.req.header("authorization") ?? "";
    const [scheme, credential, ...rest] = header.trim().split(/\s+/);
    if (!header || !credential || rest.length > 0) {
      throw unauthorized("Authentication required: use a Bearer token or Basic credentials");
    }
    let agent: Agent | undefined;
    switch (scheme.toLowerCase()) {
      case "bearer":
        agent = await findApiTokenAgent(deps.store.db, credential);
        if (!agent) throw unauthorized("Invalid or revoked API token");
        break;
      case "basic":
        agent = await basicAgent(c, credential);
        break;
      default:
        throw unauthorized("Unsupported authorization scheme: use Bearer or Basic");
    }
    c.set("agent", agent);
    await next();
  });
}
