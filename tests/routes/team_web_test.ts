/** The team in the web UI: the permission matrix by role on pages and forms, restricted agents. */
import assert from "node:assert/strict";
import { createApp } from "../../routes/mod.tsx";
import {
  createAgent,
  createApiToken,
  createSession,
  createTicketForCustomer,
  ingestMessage,
} from "../runtime.ts";
import { tempStore, testConfig } from "../helpers.ts";
import { createDepartment } from "../../db/departments.ts";
import { setAgentDepartments, updateAgent } from "../../db/agents.ts";
import type { Role } from "../../domain/permissions.ts";

const ORIGIN = "http://localhost";

async function setup() {
  const db = await tempStore();
  const app = createApp({ store: db.store, config: testConfig(db.dir), outbox: { wake() {} } });
  const cookies = {} as Record<Role | "restricted", string>;
  const ids = {} as Record<Role | "restricted", number>;
  for (const who of ["admin", "supervisor", "agent", "restricted"] as const) {
    const a = await createAgent(db.store, {
      email: `${who}@example.test`,
      name: who,
      password: "correct horse battery",
      role: who === "restricted" ? "agent" : who,
    });
    ids[who] = a.id;
    cookies[who] = `madoguchi_session=${await createSession(db.store, a.id, 3600_000)}`;
  }
  const sales = await db.store.writeTx((tx) =>
    createDepartment(tx, { name: "営業部", slug: "sales" }, 0)
  );
  await db.store.writeTx(async (tx) => {
    await setAgentDepartments(tx, ids.restricted, [sales.id]);
    await updateAgent(tx, ids.restricted, { restricted: true });
  });
  const ticket = await createTicketForCustomer(db.store, {
    customer: { email: "taro@example.com", name: "太郎" },
    subject: "サポートへの問い合わせ",
    text: "本文",
    channel: "web",
  });
  function request(who: Role | "restricted", path: string, form?: Record<string, string>) {
    const headers = new Headers({ cookie: cookies[who] });
    if (form) headers.set("origin", ORIGIN);
    return Promise.resolve(app.request(`${ORIGIN}${path}`, {
      method: form ? "POST" : "GET",
      headers,
      body: form ? new URLSearchParams(form) : undefined,
    }));
  }
  return { db, ids, ticket, request, app };
}

Deno.test("team web: permission matrix — role × page/form", async () => {
  const { db, ids, ticket, request } = await setup();
  try {
    const n = ticket.number;
    const cases: [string, () => Record<string, string> | undefined, Record<Role, number>][] = [
      ["/admin/agents", () => undefined, { admin: 200, supervisor: 404, agent: 404 }],
      [`/admin/agents/${ids.agent}`, () => undefined, { admin: 200, supervisor: 404, agent: 404 }],
      [
        "/admin/agents",
        () => ({ name: "x", email: `x${Math.random()}@example.test`, role: "agent" }),
        {
          admin: 303,
          supervisor: 404,
          agent: 404,
        },
      ],
      [`/tickets/${n}/assign`, () => ({ assignee_id: String(ids.admin) }), {
        admin: 303,
        supervisor: 303,
        agent: 403,
      }],
      [`/tickets/${n}/notes`, () => ({ note: "メモ" }), {
        admin: 303,
        supervisor: 303,
        agent: 303,
      }],
      [`/tickets/${n}`, () => undefined, { admin: 200, supervisor: 200, agent: 200 }],
      ["/settings/account", () => undefined, { admin: 200, supervisor: 200, agent: 200 }],
    ];
    for (const [path, form, expected] of cases) {
      for (const role of ["admin", "supervisor", "agent"] as const) {
        const res = await request(role, path, form());
        assert.equal(res.status, expected[role], `${role} ${form() ? "POST" : "GET"} ${path}`);
        await res.body?.cancel();
      }
    }
  } finally {
    await db.cleanup();
  }
});

Deno.test("team web: a restricted agent neither lists nor opens another department's ticket", async () => {
  const { db, ids, ticket, request, app } = await setup();
  try {
    const page = await request("restricted", `/tickets/${ticket.number}`);
    assert.equal(page.status, 404);
    await page.body?.cancel();
    const note = await request("restricted", `/tickets/${ticket.number}/notes`, { text: "x" });
    assert.equal(note.status, 404);
    await note.body?.cancel();
    const inbox = await (await request("restricted", "/?status=all")).text();
    assert.ok(!inbox.includes("サポートへの問い合わせ"));
    const everyone = await (await request("agent", "/?status=all")).text();
    assert.ok(everyone.includes("サポートへの問い合わせ"));

    // Nor its files, nor the mail as received: by URL or through the API, as if they did not exist.
    const filed = await ingestMessage(
      db.store,
      new TextEncoder().encode([
        "From: hanako@example.com",
        "To: support@example.test",
        "Subject: 見積書の件",
        "MIME-Version: 1.0",
        'Content-Type: multipart/mixed; boundary="b"',
        "",
        "--b",
        "Content-Type: text/plain; charset=utf-8",
        "",
        "見積書を添付します",
        "--b",
        "Content-Type: image/png",
        'Content-Disposition: attachment; filename="quote.png"',
        "Content-Transfer-Encoding: base64",
        "",
        "iVBORw0KGgo=",
        "--b--",
        "",
      ].join("\r\n")),
      { mailFrom: "hanako@example.com", rcptTo: ["support@example.test"], remoteAddress: null },
    );
    assert.ok("ticketNumber" in filed);
    const mail = await db.store.db.selectFrom("messages")
      .innerJoin("attachments", "attachments.message_id", "messages.id")
      .select(["messages.id as messageId", "attachments.id as attachmentId"])
      .where("messages.raw_id", "=", filed.rawId).executeTakeFirstOrThrow();
    const token = await createApiToken(db.store, ids.restricted, "test");
    for (
      const path of [
        `/attachments/${mail.attachmentId}`,
        `/attachments/${mail.attachmentId}/inline`,
        `/tickets/${filed.ticketNumber}/messages/${mail.messageId}/original`,
      ]
    ) {
      const refused = await request("restricted", path);
      assert.equal(refused.status, 404, path);
      await refused.body?.cancel();
      const shown = await request("agent", path);
      assert.equal(shown.status, 200, path);
      await shown.body?.cancel();
    }
    const api = await app.request(`${ORIGIN}/api/v1/attachments/${mail.attachmentId}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(api.status, 404);
    await api.body?.cancel();
    const apiOriginal = await app.request(
      `${ORIGIN}/api/v1/messages/${mail.messageId}/original`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    assert.equal(apiOriginal.status, 404);
    await apiOriginal.body?.cancel();
    const colleague = await createApiToken(db.store, ids.agent, "test");
    for (
      const path of [
        `/api/v1/attachments/${mail.attachmentId}`,
        `/api/v1/messages/${mail.messageId}/original`,
      ]
    ) {
      const shown = await app.request(`${ORIGIN}${path}`, {
        headers: { authorization: `Bearer ${colleague}` },
      });
      assert.equal(shown.status, 200, path);
      await shown.body?.cancel();
    }
  } finally {
    await db.cleanup();
  }
});

Deno.test("team web: the inbox shows the assignee and filters 自分の担当 / 未割り当て", async () => {
  const { db, ticket, request } = await setup();
  try {
    const take = await request("agent", `/tickets/${ticket.number}/assign`, { assignee_id: "me" });
    assert.equal(take.status, 303);
    const mine = await (await request("agent", "/?status=all&assignee=me")).text();
    assert.match(mine, /<td class="assignee">agent<\/td>/);
    const unassigned = await (await request("agent", "/?status=all&assignee=none")).text();
    assert.ok(!unassigned.includes("サポートへの問い合わせ"));
    const theirs = await (await request("supervisor", "/?status=all&assignee=me")).text();
    assert.ok(!theirs.includes("サポートへの問い合わせ"));
  } finally {
    await db.cleanup();
  }
});

Deno.test("team web: admins set a department's addresses, assignment and identity", async () => {
  const { db, ids, request } = await setup();
  try {
    const form = {
      addresses: "help@example.test\nSupport-2@example.test",
      assignment: "first_receiver",
      first_receiver_id: String(ids.agent),
      prefer_last_agent: "1",
      from_name: "サポート係",
      reply_address: "",
      signature: "サポート係",
    };
    const denied = await request("supervisor", "/admin/assignment/1", form);
    assert.equal(denied.status, 404);
    await denied.body?.cancel();
    const saved = await request("admin", "/admin/assignment/1", form);
    assert.equal(saved.status, 303);
    const page = await (await request("admin", "/admin/assignment")).text();
    assert.match(page, /help@example.test\nsupport-2@example.test/);
    assert.match(page, /<option value="first_receiver" selected>/);
    const api = await db.store.db.selectFrom("departments")
      .select(["assignment", "first_receiver_id", "from_name", "reply_address"]).where("id", "=", 1)
      .executeTakeFirstOrThrow();
    assert.deepEqual(api, {
      assignment: "first_receiver",
      first_receiver_id: ids.agent,
      from_name: "サポート係",
      reply_address: null,
    });
    const clash = await request("admin", "/admin/assignment/2", {
      ...form,
      addresses: "help@example.test",
    });
    assert.equal(clash.status, 409);
    await clash.body?.cancel();
  } finally {
    await db.cleanup();
  }
});

Deno.test("team web: the inbox filters by department and priority, and keeps the filters in links", async () => {
  const { db, request } = await setup();
  try {
    const support = await (await request("agent", "/?status=all&department=1")).text();
    assert.ok(support.includes("サポートへの問い合わせ"));
    assert.match(support, /href="\/\?status=new&amp;sort=newest&amp;department=1&amp;page=1"/);
    const sales = await (await request("agent", "/?status=all&department=2")).text();
    assert.ok(!sales.includes("サポートへの問い合わせ"));
    const urgent = await (await request("agent", "/?status=all&priority=urgent")).text();
    assert.ok(!urgent.includes("サポートへの問い合わせ"));
    const normal = await (await request("agent", "/?status=all&priority=normal")).text();
    assert.ok(normal.includes("サポートへの問い合わせ"));
  } finally {
    await db.cleanup();
  }
});

Deno.test("team web: a transfer with its memo reads as such on the receiver's notifications page", async () => {
  const { db, ids, ticket, request } = await setup();
  try {
    const res = await request("agent", `/tickets/${ticket.number}/transfer`, {
      assignee_id: String(ids.supervisor),
      memo: "お願いします",
    });
    assert.equal(res.status, 303);
    const page = await (await request("supervisor", "/notifications")).text();
    assert.match(
      page,
      new RegExp(`#${ticket.number} が agent さんから転送されました:「お願いします」`),
    );
    const empty = await request("agent", `/tickets/${ticket.number}/transfer`, {
      assignee_id: String(ids.admin),
      memo: "",
    });
    assert.equal(empty.status, 422);
    await empty.body?.cancel();
  } finally {
    await db.cleanup();
  }
});

Deno.test("team web: saved views, personal or shared by a supervisor, each with its count", async () => {
  const { db, ticket, request } = await setup();
  try {
    const mine = await request("agent", "/views", {
      name: "自分の未対応",
      query: "status=new&assignee=me&cursor=abc",
    });
    assert.equal(mine.status, 303);
    assert.equal(mine.headers.get("location"), "/?status=new&assignee=me&cursor=abc");
    const denied = await request("agent", "/views", {
      name: "共有",
      shared: "1",
      query: "status=all",
    });
    assert.equal(denied.status, 403);
    await denied.body?.cancel();
    const shared = await request("supervisor", "/views", {
      name: "全件",
      shared: "1",
      query: "status=all",
    });
    assert.equal(shared.status, 303);
    const inbox = await (await request("agent", "/")).text();
    assert.match(
      inbox,
      /href="\/\?status=new&amp;assignee=me"[^>]*>.*自分の未対応.*<span class="count">0<\/span>/s,
    );
    assert.match(
      inbox,
      /全件<span class="muted">（共有）<\/span><\/span> <span class="count">1<\/span>/,
    );
    const other = await (await request("admin", "/")).text();
    assert.ok(!other.includes("自分の未対応"), "a personal view is only its owner's");
    assert.ok(ticket.number > 0);
  } finally {
    await db.cleanup();
  }
});
