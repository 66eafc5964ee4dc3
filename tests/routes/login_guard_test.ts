/** Per-client limits through app.request(): parallel bursts, proxies, refunds after success. */
import assert from "node:assert/strict";
import { createApp } from "../../routes/mod.tsx";
import { createAgent } from "../runtime.ts";
import { tempStore, testConfig } from "../helpers.ts";

const ORIGIN = "http://localhost";
const PASSWORD = "correct horse battery";

async function setup(env: Record<string, string> = {}) {
  const db = await tempStore();
  const app = createApp({
    store: db.store,
    config: testConfig(db.dir, env),
    outbox: { wake: () => {} },
  });
  await createAgent(db.store, {
    email: "admin@example.test",
    name: "管理者",
    password: PASSWORD,
    role: "admin",
  });
  /** Posts a form from `peer` (the socket address), optionally with X-Forwarded-For. */
  function post(path: string, data: Record<string, string>, peer = "198.51.100.1", xff?: string) {
    const headers = new Headers({ origin: ORIGIN });
    if (xff) headers.set("x-forwarded-for", xff);
    return app.request(`${ORIGIN}${path}`, {
      method: "POST",
      headers,
      body: new URLSearchParams(data),
    }, { remoteAddr: { hostname: peer, port: 40000, transport: "tcp" } });
  }
  const login = (email: string, password: string, peer?: string, xff?: string) =>
    post("/login", { email, password, next: "/" }, peer, xff);
  return { ...db, app, post, login };
}

function statuses(responses: Response[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const r of responses) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
}

Deno.test("login guard: 60 parallel wrong passwords for one account check at most 5", async () => {
  const t = await setup();
  try {
    const responses = await Promise.all(
      Array.from({ length: 60 }, () => t.login("admin@example.test", "wrong password")),
    );
    assert.deepEqual(statuses(responses), { 422: 5, 429: 55 });
  } finally {
    await t.cleanup();
  }
});

Deno.test("login guard: 60 parallel wrong logins on different accounts from one address check at most 20", async () => {
  const t = await setup();
  try {
    const responses = await Promise.all(
      Array.from({ length: 60 }, (_, i) => t.login(`u${i}@example.test`, "wrong password")),
    );
    assert.deepEqual(statuses(responses), { 422: 20, 429: 40 });
  } finally {
    await t.cleanup();
  }
});

Deno.test("login guard: the API's Basic auth shares the budget and is counted before checking", async () => {
  const t = await setup();
  try {
    const basic = `Basic ${btoa("admin@example.test:wrong password")}`;
    const responses = await Promise.all(
      Array.from(
        { length: 30 },
        () =>
          t.app.request(`${ORIGIN}/api/v1/me`, { headers: { authorization: basic } }, {
            remoteAddr: { hostname: "198.51.100.1", port: 1, transport: "tcp" },
          }),
      ),
    );
    assert.deepEqual(statuses(responses), { 401: 5, 429: 25 });
  } finally {
    await t.cleanup();
  }
});

Deno.test("login guard: success resets the account's count but not the address's earlier failures", async () => {
  const t = await setup();
  try {
    for (let i = 0; i < 4; i++) {
      assert.equal((await t.login("admin@example.test", "wrong")).status, 422);
    }
    assert.equal((await t.login("admin@example.test", PASSWORD)).status, 303);
    // The account may fail 5 times again…
    for (let i = 0; i < 5; i++) {
      assert.equal((await t.login("admin@example.test", "wrong")).status, 422);
    }
    // …and the address has now used 9 of 20 (the success was handed back, not the failures).
    for (let i = 0; i < 11; i++) {
      assert.equal((await t.login(`x${i}@example.test`, "wrong")).status, 422);
    }
    assert.equal((await t.login("y@example.test", "wrong")).status, 429);
    // Another client address has its own budget.
    assert.equal((await t.login("z@example.test", "wrong", "198.51.100.2")).status, 422);
  } finally {
    await t.cleanup();
  }
});

Deno.test("login guard: behind a trusted proxy each client has its own budget; a forged X-Forwarded-For does not", async () => {
  const t = await setup({ MADOGUCHI_TRUSTED_PROXIES: "10.0.0.1" });
  try {
    const proxy = "10.0.0.1";
    for (let i = 0; i < 20; i++) {
      const res = await t.login(`a${i}@example.test`, "wrong", proxy, "203.0.113.5");
      assert.equal(res.status, 422);
    }
    assert.equal((await t.login("b@example.test", "wrong", proxy, "203.0.113.5")).status, 429);
    // Another client behind the same proxy is not blocked.
    assert.equal((await t.login("c@example.test", "wrong", proxy, "203.0.113.6")).status, 422);
    // The client cannot shed its limit by prepending an address: only the right end counts.
    const forged = await t.login("d@example.test", "wrong", proxy, "1.2.3.4, 203.0.113.5");
    assert.equal(forged.status, 429);
    // A client that is not the proxy cannot pick an address with the header.
    for (let i = 0; i < 20; i++) {
      const res = await t.login(`e${i}@example.test`, "wrong", "198.51.100.7", `192.0.2.${i}`);
      assert.equal(res.status, 422);
    }
    assert.equal(
      (await t.login("f@example.test", "wrong", "198.51.100.7", "192.0.2.99")).status,
      429,
    );
  } finally {
    await t.cleanup();
  }
});

Deno.test("login guard: IPv6 addresses in one /64 share a budget", async () => {
  const t = await setup();
  try {
    for (let i = 0; i < 20; i++) {
      const res = await t.login(`a${i}@example.test`, "wrong", `2001:db8:0:1::${i.toString(16)}`);
      assert.equal(res.status, 422);
    }
    assert.equal((await t.login("b@example.test", "wrong", "2001:db8:0:1:ffff::1")).status, 429);
    assert.equal((await t.login("b@example.test", "wrong", "2001:db8:0:2::1")).status, 422);
  } finally {
    await t.cleanup();
  }
});

Deno.test("status check: 30 parallel wrong keys for one number are refused past 5", async () => {
  const t = await setup();
  try {
    const responses = await Promise.all(
      Array.from(
        { length: 30 },
        () => t.post("/status", { number: "1001", key: "AAAA-BBBB-CCCC-DDDD" }),
      ),
    );
    assert.deepEqual(statuses(responses), { 422: 5, 429: 25 });
  } finally {
    await t.cleanup();
  }
});
