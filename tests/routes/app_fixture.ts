/**
 * The app over a temporary database with agents who can sign in, for route tests that go through
 * app.request(): `request` (the cookie and, for POST, the Origin that CSRF wants), `login`, `post`.
 */
import assert from "node:assert/strict";
import { createApp } from "../../routes/mod.tsx";
import type { AppDeps } from "../../routes/state.ts";
import { createAgent } from "../runtime.ts";
import { tempStore, testConfig } from "../helpers.ts";

export const ORIGIN = "http://localhost";
export const PASSWORD = "correct horse battery";

export interface AppFixtureOptions {
  /** MADOGUCHI_* overrides for the config. */
  env?: Record<string, string>;
  /** Agents to create (their name is the address's local part). Default: an admin and an agent. */
  agents?: [email: string, role: "admin" | "supervisor" | "agent"][];
  /** Further app dependencies (a clock, the IMAP control…). */
  deps?: Partial<Omit<AppDeps, "store" | "config">>;
}

export async function appFixture(options: AppFixtureOptions = {}) {
  const db = await tempStore();
  const config = testConfig(db.dir, options.env ?? {});
  const app = createApp({ store: db.store, config, outbox: { wake() {} }, ...options.deps });
  const agents = options.agents ??
    [["admin@example.test", "admin"], ["aki@example.test", "agent"]];
  for (const [email, role] of agents) {
    await createAgent(db.store, { email, name: email.split("@")[0], password: PASSWORD, role });
  }
  async function request(path: string, init: RequestInit & { cookie?: string } = {}) {
    const headers = new Headers(init.headers);
    if (init.cookie) headers.set("cookie", init.cookie);
    if (init.method === "POST") headers.set("origin", ORIGIN);
    return await app.request(`${ORIGIN}${path}`, { ...init, headers });
  }
  /** Signs in through the login form; the session cookie to send. */
  async function login(email: string) {
    const res = await request("/login", {
      method: "POST",
      body: new URLSearchParams({ email, password: PASSWORD, next: "/" }),
    });
    assert.equal(res.status, 303);
    return res.headers.get("set-cookie")!.split(";")[0];
  }
  function post(path: string, cookie: string, data: Record<string, string> | FormData) {
    const body = data instanceof FormData ? data : new URLSearchParams(data);
    return request(path, { method: "POST", body, cookie });
  }
  return { ...db, app, config, request, login, post };
}
