/** The team through the JSON API: the permission matrix by role, agents, departments, tickets. */
import assert from "node:assert/strict";
import { createApp } from "../../routes/mod.tsx";
import { createAgent, createApiToken, createTicketForCustomer } from "../runtime.ts";
import { tempStore, testConfig } from "../helpers.ts";
import type { Store } from "../../db/client.ts";
import type { Role } from "../../domain/permissions.ts";

interface Team {
  store: Store;
  ids: Record<Role, number>;
  call(role: Role, method: string, path: string, json?: unknown): Promise<Response>;
  raw(token: string, method: string, path: string): Promise<Response>;
  tokens: Record<Role, string>;
}

async function withTeam(fn: (t: Team) => Promise<void>) {
  const db = await tempStore();
  try {
    const ids = {} as Record<Role, number>;
    const tokens = {} as Record<Role, string>;
    for (const role of ["admin", "supervisor", "agent"] as const) {
      const a = await createAgent(db.store, {
        email: `${role}@example.test`,
        name: role,
        password: "correct horse battery",
        role,
      });
      ids[role] = a.id;
      tokens[role] = await createApiToken(db.store, a.id, "test");
    }
    const app = createApp({
      store: db.store,
      config: testConfig(db.dir),
      outbox: { wake() {} },
    });
    const raw = (token: string, method: string, path: string, json?: unknown) =>
      Promise.resolve(app.request(`/api/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(json === undefined ? {} : { "content-type": "application/json" }),
        },
        body: json === undefined ? undefined : JSON.stringify(json),
      }));
    await fn({
      store: db.store,
      ids,
      tokens,
      raw,
      call: (role, method, path, json) => raw(tokens[role], method, path, json),
    });
  } finally {
    await db.cleanup();
  }
}

function ticket(store: Store) {
  return createTicketForCustomer(store, {
    customer: { email: "taro@example.com", name: "太郎" },
    subject: "請求書",
    text: "再発行をお願いします",
    channel: "api",
  });
}

Deno.test("api team: permission matrix — role × action answers 2xx or 403", async () => {
  await withTeam(async (t) => {
    const t1 = await ticket(t.store);
    let n = 0;
    const cases: [string, string, () => unknown, Record<Role, number>][] = [
      [
        "POST",
        "/agents",
        () => ({
          email: `new${n++}@example.test`,
          name: "新人",
          role: "agent",
          password: "long enough pw",
        }),
        { admin: 201, supervisor: 403, agent: 403 },
      ],
      ["PATCH", `/agents/${t.ids.agent}`, () => ({ name: "改名" }), {
        admin: 200,
        supervisor: 403,
        agent: 403,
      }],
      ["POST", "/departments", () => ({ name: `部署${n}`, slug: `d${n++}` }), {
        admin: 201,
        supervisor: 403,
        agent: 403,
      }],
      ["PATCH", "/departments/1", () => ({ addresses: ["help@example.test"] }), {
        admin: 200,
        supervisor: 403,
        agent: 403,
      }],
      ["PATCH", `/tickets/${t1.number}`, () => ({ assignee_id: t.ids.admin }), {
        admin: 200,
        supervisor: 200,
        agent: 403,
      }],
      ["PATCH", `/tickets/${t1.number}`, () => ({ priority: "high" }), {
        admin: 200,
        supervisor: 200,
        agent: 200,
      }],
      ["POST", `/tickets/${t1.number}/notes`, () => ({ text: "メモ" }), {
        admin: 201,
        supervisor: 201,
        agent: 201,
      }],
      ["GET", "/agents", () => undefined, { admin: 200, supervisor: 200, agent: 200 }],
      ["GET", "/notifications", () => undefined, { admin: 200, supervisor: 200, agent: 200 }],
    ];
    for (const [method, path, body, expected] of cases) {
      for (const role of ["admin", "supervisor", "agent"] as const) {
        const res = await t.call(role, method, path, body());
        assert.equal(res.status, expected[role], `${role} ${method} ${path}: ${await res.text()}`);
      }
    }
  });
});

Deno.test("api team: an agent takes an unassigned ticket and changes only their own presence", async () => {
  await withTeam(async (t) => {
    const t1 = await ticket(t.store);
    const take = await t.call("agent", "PATCH", `/tickets/${t1.number}`, {
      assignee_id: t.ids.agent,
    });
    assert.equal(take.status, 200);
    assert.deepEqual((await take.json()).assignee, { id: t.ids.agent, name: "agent" });
    const mine = await (await t.call("agent", "GET", "/tickets?assignee=me")).json();
    assert.deepEqual(mine.tickets.map((x: { number: number }) => x.number), [t1.number]);
    const none = await (await t.call("agent", "GET", "/tickets?assignee=none")).json();
    assert.equal(none.tickets.length, 0);
    assert.equal(
      (await t.call("agent", "PATCH", `/agents/${t.ids.agent}`, { absent: true })).status,
      200,
    );
    assert.equal(
      (await t.call("agent", "PATCH", `/agents/${t.ids.supervisor}`, { absent: true })).status,
      403,
    );
    const shown = await (await t.call("agent", "GET", `/tickets/${t1.number}`)).json();
    assert.equal(shown.department.slug, "support");
    assert.ok(
      shown.events.some((e: { kind: string; actor: string }) =>
        e.kind === "assignee.changed" && e.actor === "agent"
      ),
    );
  });
});

Deno.test("api team: a disabled agent answers 401 at once; the last admin cannot be demoted (409)", async () => {
  await withTeam(async (t) => {
    assert.equal((await t.call("agent", "GET", "/me")).status, 200);
    const off = await t.call("admin", "PATCH", `/agents/${t.ids.agent}`, { active: false });
    assert.equal(off.status, 200);
    assert.equal((await off.json()).active, false);
    assert.equal((await t.call("agent", "GET", "/me")).status, 401);
    const demote = await t.call("admin", "PATCH", `/agents/${t.ids.admin}`, { role: "agent" });
    assert.equal(demote.status, 409);
    const disable = await t.call("admin", "PATCH", `/agents/${t.ids.admin}`, { active: false });
    assert.equal(disable.status, 409);
    // With a second admin, the first may step down.
    assert.equal(
      (await t.call("admin", "PATCH", `/agents/${t.ids.supervisor}`, { role: "admin" })).status,
      200,
    );
    assert.equal(
      (await t.call("admin", "PATCH", `/agents/${t.ids.admin}`, { role: "agent" })).status,
      200,
    );
  });
});

Deno.test("api team: transfer needs a memo (422); notes and transfers show in the history", async () => {
  await withTeam(async (t) => {
    const t1 = await ticket(t.store);
    const bad = await t.call("agent", "POST", `/tickets/${t1.number}/transfer`, {
      assignee_id: t.ids.supervisor,
    });
    assert.equal(bad.status, 422);
    assert.equal((await bad.json()).error.fields.memo !== undefined, true);
    const ok = await t.call("agent", "POST", `/tickets/${t1.number}/transfer`, {
      assignee_id: t.ids.supervisor,
      memo: "請求の件は佐藤さんへ",
    });
    assert.equal(ok.status, 200);
    assert.equal((await ok.json()).assignee.id, t.ids.supervisor);
    const notices = await (await t.call("supervisor", "GET", "/notifications")).json();
    assert.deepEqual(notices.notifications.map((n: { kind: string }) => n.kind), [
      "ticket.transferred",
    ]);
    assert.equal(notices.notifications[0].data.memo, "請求の件は佐藤さんへ");
    const shown = await (await t.call("admin", "GET", `/tickets/${t1.number}`)).json();
    const transfer = shown.events.find((e: { kind: string }) => e.kind === "ticket.transferred");
    assert.equal(transfer.data.memo, "請求の件は佐藤さんへ");
  });
});

Deno.test("api team: creating an agent without a password mails a set-password link", async () => {
  await withTeam(async (t) => {
    const res = await t.call("admin", "POST", "/agents", {
      email: "hanako@example.test",
      name: "花子",
      role: "agent",
      department_ids: [1],
    });
    assert.equal(res.status, 201);
    assert.deepEqual((await res.json()).department_ids, [1]);
    const mail = await t.store.db.selectFrom("outbox").select(["envelope_to", "message_id"])
      .execute();
    assert.deepEqual(mail, [{ envelope_to: '["hanako@example.test"]', message_id: null }]);
    const dup = await t.call("admin", "POST", "/agents", {
      email: "hanako@example.test",
      name: "x",
      role: "agent",
    });
    assert.equal(dup.status, 409);
  });
});

Deno.test("api team: admins manage tags; agents tag tickets and filter by tag", async () => {
  await withTeam(async (t) => {
    const t1 = await ticket(t.store);
    await ticket(t.store);
    assert.equal(
      (await t.call("agent", "POST", "/tags", { name: "請求", color: "#cc3333" })).status,
      403,
    );
    assert.equal(
      (await t.call("admin", "POST", "/tags", { name: "請求", color: "#cc3333" })).status,
      201,
    );
    const bad = await t.call("agent", "PATCH", `/tickets/${t1.number}`, { tags: ["未知"] });
    assert.equal(bad.status, 422);
    const ok = await t.call("agent", "PATCH", `/tickets/${t1.number}`, { tags: ["請求"] });
    assert.equal(ok.status, 200);
    assert.deepEqual((await ok.json()).tags, [{ name: "請求", color: "#cc3333" }]);
    const list = await (await t.call("agent", "GET", `/tickets?tag=${encodeURIComponent("請求")}`))
      .json();
    assert.deepEqual(list.tickets.map((x: { number: number }) => x.number), [t1.number]);
    assert.equal(list.total, 1);
    const none = await (await t.call("agent", "GET", "/tickets?tag=nothing")).json();
    assert.equal(none.tickets.length, 0);
    const shown = await (await t.call("agent", "GET", `/tickets/${t1.number}`)).json();
    assert.ok(shown.events.some((e: { kind: string }) => e.kind === "tags.changed"));
  });
});
