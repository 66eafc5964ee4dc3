/** Routing rules on the admin page (CSRF, kept input, order) and in the API (admins only). */
import assert from "node:assert/strict";
import { createApp } from "../../routes/mod.tsx";
import { createAgent, createApiToken, createSession } from "../runtime.ts";
import { tempStore, testConfig } from "../helpers.ts";
import { createDepartment } from "../../db/departments.ts";
import { listRoutingRules } from "../../db/routing_rules.ts";

const ORIGIN = "http://localhost";

async function setup() {
  const db = await tempStore();
  const app = createApp({ store: db.store, config: testConfig(db.dir), outbox: { wake() {} } });
  const admin = await createAgent(db.store, {
    email: "admin@example.test",
    name: "管理",
    password: "correct horse battery",
    role: "admin",
  });
  const agent = await createAgent(db.store, {
    email: "agent@example.test",
    name: "担当",
    password: "correct horse battery",
    role: "agent",
  });
  const billing = await db.store.writeTx((tx) =>
    createDepartment(tx, { name: "経理", slug: "billing" }, 0)
  );
  const cookie = `madoguchi_session=${await createSession(db.store, admin.id, 3600_000)}`;
  const agentCookie = `madoguchi_session=${await createSession(db.store, agent.id, 3600_000)}`;
  const tokens = {
    admin: await createApiToken(db.store, admin.id, "t"),
    agent: await createApiToken(db.store, agent.id, "t"),
  };
  function post(path: string, form: Record<string, string>, origin = ORIGIN) {
    return Promise.resolve(app.request(`${ORIGIN}${path}`, {
      method: "POST",
      headers: { cookie, origin },
      body: new URLSearchParams(form),
    }));
  }
  function get(path: string, who = cookie) {
    return Promise.resolve(app.request(`${ORIGIN}${path}`, { headers: { cookie: who } }));
  }
  function api(who: "admin" | "agent", method: string, path: string, json?: unknown) {
    const headers = new Headers({ authorization: `Bearer ${tokens[who]}` });
    if (json !== undefined) headers.set("content-type", "application/json");
    return Promise.resolve(app.request(`/api/v1${path}`, {
      method,
      headers,
      body: json === undefined ? undefined : JSON.stringify(json),
    }));
  }
  return { db, billing, post, get, api, agentCookie };
}

Deno.test("routing admin: a bad form comes back with what was typed; a good one is listed; order and switch work", async () => {
  const t = await setup();
  try {
    assert.equal((await t.get("/admin/routing", t.agentCookie)).status, 404);
    const bad = await t.post("/admin/routing", { name: "返金", subject: "返金、払い戻し" });
    assert.equal(bad.status, 422);
    const html = await bad.text();
    assert.match(html, /振り分け先を一つ以上選んでください/);
    assert.match(html, /value="返金、払い戻し"/);
    // Without the Origin header (a cross-site post) nothing is saved.
    const forged = await t.post("/admin/routing", {
      name: "x",
      subject: "x",
      departmentId: String(t.billing.id),
    }, "http://evil.example");
    assert.equal(forged.status, 403);
    const form = (name: string) => ({
      name,
      enabled: "1",
      subject: name,
      departmentId: String(t.billing.id),
      priority: "high",
    });
    assert.equal((await t.post("/admin/routing", form("返金"))).status, 303);
    assert.equal((await t.post("/admin/routing", form("解約"))).status, 303);
    const [first, second] = await listRoutingRules(t.db.store.db);
    assert.equal(
      (await t.post(`/admin/routing/${second.id}/move`, { direction: "up" })).status,
      303,
    );
    assert.equal(
      (await t.post(`/admin/routing/${first.id}/enabled`, { enabled: "0" })).status,
      303,
    );
    const page = await (await t.get("/admin/routing")).text();
    assert.ok(page.indexOf("解約") < page.indexOf("返金"));
    assert.match(page, /部署 → 経理/);
    assert.match(page, /優先度 → 高/);
    const edit = await t.get(`/admin/routing/${first.id}`);
    assert.equal(edit.status, 200);
    assert.match(await edit.text(), /value="返金"/);
    assert.equal(
      (await t.post(`/admin/routing/${first.id}`, { ...form("返金"), name: "" })).status,
      422,
    );
    assert.equal((await t.post(`/admin/routing/${first.id}/delete`, {})).status, 303);
    assert.deepEqual((await listRoutingRules(t.db.store.db)).map((r) => r.name), ["解約"]);
  } finally {
    await t.db.cleanup();
  }
});

Deno.test("routing API: admins list, create at a place, change and delete; agents get 403", async () => {
  const t = await setup();
  try {
    assert.equal((await t.api("agent", "GET", "/routing_rules")).status, 403);
    const body = {
      name: "返金",
      conditions: { subject: ["返金"], sender_domain: ["example.co.jp"] },
      actions: { department_id: t.billing.id, priority: "urgent" },
    };
    assert.equal((await t.api("agent", "POST", "/routing_rules", body)).status, 403);
    const created = await t.api("admin", "POST", "/routing_rules", body);
    assert.equal(created.status, 201);
    const rule = await created.json();
    assert.deepEqual(rule.actions, {
      department_id: t.billing.id,
      assignee_id: null,
      tag_ids: [],
      priority: "urgent",
    });
    assert.deepEqual(rule.conditions.sender_domain, ["example.co.jp"]);
    const second = await (await t.api("admin", "POST", "/routing_rules", {
      ...body,
      name: "先頭",
      position: 1,
    })).json();
    assert.equal(second.position, 1);
    const bad = await t.api("admin", "POST", "/routing_rules", { name: "x", conditions: {} });
    assert.equal(bad.status, 422);
    assert.ok("conditions" in (await bad.json()).error.fields);
    const patched = await t.api("admin", "PATCH", `/routing_rules/${rule.id}`, {
      enabled: false,
      position: 1,
    });
    assert.equal(patched.status, 200);
    const p = await patched.json();
    assert.equal(p.enabled, false);
    assert.equal(p.position, 1);
    const list = await (await t.api("admin", "GET", "/routing_rules")).json();
    assert.deepEqual(list.routing_rules.map((r: { name: string }) => r.name), ["返金", "先頭"]);
    assert.equal((await t.api("admin", "DELETE", `/routing_rules/${rule.id}`)).status, 204);
    assert.equal((await t.api("admin", "DELETE", `/routing_rules/${rule.id}`)).status, 404);
    assert.equal(
      (await t.api("admin", "PATCH", "/routing_rules/999", { enabled: true })).status,
      404,
    );
  } finally {
    await t.db.cleanup();
  }
});
