/**
 * Agent sessions through app.request(): idle timeout with a sliding refresh, the __Host- cookie
 * under https, other sessions ended on a password change, and the CSRF check against the public
 * origin only.
 */
import assert from "node:assert/strict";
import { createApp } from "../../routes/mod.tsx";
import { findAgentForLogin } from "../../db/agents.ts";
import { changeAgentPassword, createAgent } from "../runtime.ts";
import { verifyPassword } from "../../domain/password.ts";
import { hashSecret } from "../../domain/tokens.ts";
import { tempStore, testConfig } from "../helpers.ts";

const HOUR = 3600_000;

async function setup(env: Record<string, string> = {}) {
  const db = await tempStore();
  const config = testConfig(db.dir, env);
  const origin = new URL(config.publicUrl).origin;
  const clock = { now: Date.UTC(2025, 0, 6, 0, 0) };
  const app = createApp({
    store: db.store,
    config,
    outbox: { wake: () => {} },
    now: () => clock.now,
  });
  const agent = await createAgent(db.store, {
    email: "admin@example.test",
    name: "管理者",
    password: "correct horse battery",
    role: "admin",
  });
  async function request(
    path: string,
    init: RequestInit & { cookie?: string; base?: string } = {},
  ) {
    const headers = new Headers(init.headers);
    if (init.cookie) headers.set("cookie", init.cookie);
    if (init.method === "POST" && !headers.has("origin")) headers.set("origin", origin);
    return await app.request(`${init.base ?? origin}${path}`, { ...init, headers });
  }
  async function login() {
    const res = await request("/login", {
      method: "POST",
      body: new URLSearchParams({
        email: "admin@example.test",
        password: "correct horse battery",
        next: "/",
      }),
    });
    assert.equal(res.status, 303);
    return {
      setCookie: res.headers.get("set-cookie")!,
      cookie: res.headers.get("set-cookie")!.split(";")[0],
    };
  }
  async function signedIn(cookie: string) {
    const res = await request("/", { cookie });
    return res.status === 200;
  }
  async function expiresAt(cookie: string) {
    const secret = decodeURIComponent(cookie.split("=").slice(1).join("="));
    const row = await db.store.db.selectFrom("sessions").select("expires_at")
      .where("id_hash", "=", await hashSecret(secret)).executeTakeFirst();
    return row?.expires_at;
  }
  return { ...db, app, config, clock, agent, request, login, signedIn, expiresAt };
}

Deno.test("session: 12 hours without use ends it; use keeps it alive up to 14 days", async () => {
  const t = await setup();
  try {
    const { cookie } = await t.login();
    t.clock.now += 11 * HOUR;
    assert.ok(await t.signedIn(cookie), "used after 11 h");
    t.clock.now += 11 * HOUR;
    assert.ok(await t.signedIn(cookie), "used again 11 h later: the idle clock restarted");
    t.clock.now += 12 * HOUR + 1;
    assert.ok(!(await t.signedIn(cookie)), "12 h idle ends the session");

    const again = (await t.login()).cookie;
    const signIn = t.clock.now;
    while (t.clock.now < signIn + 15 * 24 * HOUR) {
      t.clock.now += 10 * HOUR;
      if (!(await t.signedIn(again))) {
        assert.ok(t.clock.now >= signIn + 14 * 24 * HOUR, "ended before 14 days");
        return;
      }
    }
    assert.fail("a session in constant use must still end 14 days after sign-in");
  } finally {
    await t.cleanup();
  }
});

Deno.test("session: the idle refresh is written at most once a minute", async () => {
  const t = await setup();
  try {
    const { cookie } = await t.login();
    t.clock.now += 2 * 60_000;
    assert.ok(await t.signedIn(cookie));
    const first = await t.expiresAt(cookie);
    assert.equal(first, t.clock.now + 12 * HOUR);
    t.clock.now += 30_000;
    assert.ok(await t.signedIn(cookie));
    assert.equal(await t.expiresAt(cookie), first, "30 s later: not written again");
    t.clock.now += 31_000;
    assert.ok(await t.signedIn(cookie));
    assert.equal(await t.expiresAt(cookie), t.clock.now + 12 * HOUR);
  } finally {
    await t.cleanup();
  }
});

Deno.test("session: under an https public URL the cookie is __Host- prefixed, Secure, path /", async () => {
  const t = await setup({ MADOGUCHI_PUBLIC_URL: "https://help.example.test" });
  try {
    const { setCookie, cookie } = await t.login();
    assert.match(setCookie, /^__Host-madoguchi_session=/);
    assert.match(setCookie, /; Secure/i);
    assert.match(setCookie, /; Path=\//i);
    assert.doesNotMatch(setCookie, /Domain=/i);
    assert.ok(await t.signedIn(cookie));
    // A cookie without the prefix could have been planted by a sibling subdomain: not read.
    const planted = cookie.replace(/^__Host-/, "");
    assert.ok(!(await t.signedIn(planted)));
    const out = await t.request("/logout", { method: "POST", cookie, body: new URLSearchParams() });
    assert.equal(out.status, 303);
    assert.match(out.headers.get("set-cookie")!, /^__Host-madoguchi_session=;/);
    assert.ok(!(await t.signedIn(cookie)));
  } finally {
    await t.cleanup();
  }
});

Deno.test("session: plain http keeps the unprefixed cookie name", async () => {
  const t = await setup();
  try {
    const { setCookie } = await t.login();
    assert.match(setCookie, /^madoguchi_session=/);
    assert.doesNotMatch(setCookie, /Secure/i);
  } finally {
    await t.cleanup();
  }
});

Deno.test("session: a password change ends the agent's other sessions, not the current one", async () => {
  const t = await setup();
  try {
    const here = (await t.login()).cookie;
    const elsewhere = (await t.login()).cookie;
    const other = await createAgent(t.store, {
      email: "agent@example.test",
      name: "担当者",
      password: "another long password",
      role: "agent",
    });
    const otherAgents = await t.store.db.selectFrom("sessions").select("id_hash")
      .where("agent_id", "=", other.id).execute();
    assert.equal(otherAgents.length, 0);
    const secret = decodeURIComponent(here.split("=")[1]);
    await changeAgentPassword(t.store, t.agent.id, "a brand new password", { keepSession: secret });
    assert.ok(await t.signedIn(here), "the session that changed it stays");
    assert.ok(!(await t.signedIn(elsewhere)), "every other session ends");
    const row = (await findAgentForLogin(t.store.db, "admin@example.test"))!;
    assert.ok(await verifyPassword("a brand new password", row.password_hash));
    await changeAgentPassword(t.store, t.agent.id, "yet another new password");
    assert.ok(!(await t.signedIn(here)), "without keepSession, all of them end");
  } finally {
    await t.cleanup();
  }
});

Deno.test("session: CSRF trusts the public URL's origin, not the Host the request reached us at", async () => {
  const t = await setup({ MADOGUCHI_PUBLIC_URL: "https://help.example.test" });
  try {
    const { cookie } = await t.login();
    // Reached directly (say http://10.0.0.5:8000), a post from that origin is not ours.
    const direct = await t.request("/logout", {
      method: "POST",
      cookie,
      base: "http://10.0.0.5:8000",
      headers: { origin: "http://10.0.0.5:8000" },
      body: new URLSearchParams(),
    });
    assert.equal(direct.status, 403);
    const ours = await t.request("/logout", {
      method: "POST",
      cookie,
      base: "http://10.0.0.5:8000",
      headers: { origin: "https://help.example.test" },
      body: new URLSearchParams(),
    });
    assert.equal(ours.status, 303);
  } finally {
    await t.cleanup();
  }
});
