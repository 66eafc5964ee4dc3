/** The inbox's team views: SLA 警告 / 超過 with counts (page, saved view, API), disabled assignees. */
import assert from "node:assert/strict";
import { createApp } from "../../routes/mod.tsx";
import { createAgent, createApiToken, createSession, createTicketForCustomer } from "../runtime.ts";
import { tempStore, testConfig } from "../helpers.ts";
import { updateAgent } from "../../db/agents.ts";

const ORIGIN = "http://localhost";
const HOUR = 3600_000;

async function setup() {
  const db = await tempStore();
  const app = createApp({ store: db.store, config: testConfig(db.dir), outbox: { wake() {} } });
  const admin = await createAgent(db.store, {
    email: "admin@example.test",
    name: "管理",
    password: "correct horse battery",
    role: "admin",
  });
  const cookie = `madoguchi_session=${await createSession(db.store, admin.id, 3600_000)}`;
  const token = await createApiToken(db.store, admin.id, "t");
  const now = Date.now();
  const states: Record<string, { warn: number; due: number } | null> = {
    "期限超過のチケット": { warn: now - 2 * HOUR, due: now - HOUR },
    "警告中のチケット": { warn: now - HOUR, due: now + 24 * HOUR },
    "余裕のあるチケット": { warn: now + 24 * HOUR, due: now + 48 * HOUR },
    "時計のないチケット": null,
  };
  for (const [subject, s] of Object.entries(states)) {
    const t = await createTicketForCustomer(db.store, {
      customer: { email: "taro@example.com", name: "太郎" },
      subject,
      text: "本文",
      channel: "web",
    });
    await db.store.writeTx((tx) =>
      tx.updateTable("tickets").set({
        sla_warn_at: s?.warn ?? null,
        sla_due_at: s?.due ?? null,
      }).where("id", "=", t.id).execute()
    );
  }
  const get = (path: string) =>
    Promise.resolve(app.request(`${ORIGIN}${path}`, { headers: { cookie } }));
  const post = (path: string, form: Record<string, string>) =>
    Promise.resolve(app.request(`${ORIGIN}${path}`, {
      method: "POST",
      headers: { cookie, origin: ORIGIN },
      body: new URLSearchParams(form),
    }));
  const api = (path: string) =>
    Promise.resolve(app.request(`/api/v1${path}`, {
      headers: { authorization: `Bearer ${token}` },
    }));
  return { db, admin, get, post, api };
}

/** The count beside a sidebar link. */
function countOf(html: string, attr: string): string {
  const m = new RegExp(`${attr}[^>]*>(?:(?!</a>).)*?<span class="count">([^<]*)</span>`, "s")
    .exec(html);
  return m?.[1] ?? "(none)";
}

Deno.test("team views: SLA 警告 and 超過 list only their tickets, with counts, combined with folders and saved", async () => {
  const t = await setup();
  try {
    const inbox = await (await t.get("/?status=all")).text();
    assert.equal(countOf(inbox, 'data-view="sla-warning"'), "1");
    assert.equal(countOf(inbox, 'data-view="sla-breached"'), "1");
    assert.equal(countOf(inbox, 'data-view="none"'), "4");

    const breached = await (await t.get("/?status=all&sla=breached")).text();
    assert.match(breached, /期限超過のチケット/);
    assert.doesNotMatch(breached, /警告中のチケット|余裕のあるチケット|時計のないチケット/);
    const warning = await (await t.get("/?status=new&sla=warning")).text();
    assert.match(warning, /警告中のチケット/);
    assert.doesNotMatch(warning, /期限超過のチケット|余裕のあるチケット/);
    // Another folder: nothing there.
    const resolved = await (await t.get("/?status=resolved&sla=warning")).text();
    assert.doesNotMatch(resolved, /警告中のチケット/);

    assert.equal(
      (await t.post("/views", { name: "超過", query: "status=all&sla=breached" })).status,
      303,
    );
    const withView = await (await t.get("/")).text();
    assert.equal(countOf(withView, "data-saved-view"), "1");

    const res = await t.api("/tickets?sla=warning");
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.deepEqual(body.tickets.map((x: { subject: string }) => x.subject), ["警告中のチケット"]);
    assert.equal(body.total, 1);
    assert.equal(body.total_capped, false);
    assert.equal((await t.api("/tickets?sla=late")).status, 422);
  } finally {
    await t.db.cleanup();
  }
});

Deno.test("team views: a disabled assignee shows as disabled in the inbox list", async () => {
  const t = await setup();
  try {
    const sato = await createAgent(t.db.store, {
      email: "sato@example.test",
      name: "佐藤",
      password: "correct horse battery",
      role: "agent",
    });
    await t.db.store.writeTx(async (tx) => {
      await tx.updateTable("tickets").set({ assignee_id: sato.id }).execute();
      await updateAgent(tx, sato.id, { disabled: true });
    });
    const html = await (await t.get("/?status=all")).text();
    assert.match(html, /佐藤 \(無効\)/);
  } finally {
    await t.db.cleanup();
  }
});
