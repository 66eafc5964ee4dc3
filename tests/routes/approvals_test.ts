/** Approval (承認) through the API: request → return → edit → approve → one mail. */
import assert from "node:assert/strict";
import { approvalTeam } from "./approval_fixture.ts";
import { createApp } from "../../routes/mod.tsx";
import { listMessages } from "../../db/messages.ts";
import { findTicketByNumber } from "../../db/tickets.ts";
import { listReplyDrafts } from "../../db/reply_drafts.ts";
import { testConfig } from "../helpers.ts";

async function setup() {
  const t = await approvalTeam([
    {
      from: "taro@example.com",
      subject: "請求書",
      id: "first@example.com",
      text: "再発行をお願いします",
    },
  ]);
  return { ...t, call: t.api };
}

Deno.test("approval: a new agent's reply waits (202), is returned with a comment, edited, approved once", async () => {
  const t = await setup();
  try {
    const patched = await t.call("admin", "PATCH", `/agents/${t.newbie.id}`, {
      requires_approval: true,
    });
    assert.equal(patched.status, 200);
    assert.equal((await patched.json()).requires_approval, true);
    assert.equal(
      (await t.call("newbie", "PATCH", `/agents/${t.newbie.id}`, { requires_approval: false }))
        .status,
      403,
    );

    const held = await t.call("newbie", "POST", "/tickets/1001/reply", { text: "再発行します" });
    assert.equal(held.status, 202);
    const { approval } = await held.json();
    assert.equal(approval.status, "pending");
    assert.deepEqual(approval.reasons, ["agent"]);
    assert.equal(await t.outCount(), 0);
    assert.equal((await t.call("newbie", "GET", "/approvals")).status, 403);
    const list = await (await t.call("admin", "GET", "/approvals")).json();
    assert.equal(list.count, 1);

    const returned = await t.call("admin", "POST", `/approvals/${approval.id}/return`, {
      comment: "宛名を入れてください",
    });
    assert.equal(returned.status, 200);
    assert.equal((await returned.json()).status, "returned");
    const ticket = (await findTicketByNumber(t.store.db, 1001))!;
    assert.equal((await listReplyDrafts(t.store.db, ticket.id))[0].text, "再発行します");
    // A decided request cannot be approved any more.
    const late = await t.call("admin", "POST", `/approvals/${approval.id}/approve`, {});
    assert.equal(late.status, 409);

    const again = await (await t.call("newbie", "POST", "/tickets/1001/reply", {
      text: "山田様\n再発行します",
    })).json();
    const approvals = await Promise.all(
      [1, 2, 3].map(() =>
        t.call("admin", "POST", `/approvals/${again.approval.id}/approve`, {
          text: "山田様\n本日中に再発行いたします",
        })
      ),
    );
    assert.deepEqual(approvals.map((r) => r.status).sort(), [200, 409, 409]);
    const ok = await approvals.find((r) => r.status === 200)!.json();
    assert.equal(ok.approved_text, "山田様\n本日中に再発行いたします");
    assert.equal(ok.text, "山田様\n再発行します");
    assert.equal(await t.outCount(), 1);
    const messages = await listMessages(t.store.db, ticket.id);
    const mail = messages.find((m) => m.direction === "out")!;
    assert.equal(mail.text, "山田様\n本日中に再発行いたします");
    assert.equal(mail.agentId, t.newbie.id);
    assert.equal((await (await t.call("admin", "GET", "/approvals")).json()).count, 0);
  } finally {
    await t.cleanup();
  }
});

Deno.test("approval: a refund or cancellation keyword holds any agent's reply; an admin's goes out", async () => {
  const t = await setup();
  try {
    const held = await t.call("newbie", "POST", "/tickets/1001/reply", {
      text: "返金いたします",
    });
    assert.equal(held.status, 202);
    assert.deepEqual((await held.json()).approval.reasons, ["keyword:返金"]);
    const admin = await t.call("admin", "POST", "/tickets/1001/reply", {
      text: "解約を承りました",
    });
    assert.equal(admin.status, 201);
  } finally {
    await t.cleanup();
  }
});

Deno.test("approval on the web: the reply waits in 承認待ち; the supervisor edits and approves from the ticket", async () => {
  const t = await setup();
  try {
    const ORIGIN = "http://localhost";
    const app = createApp({ store: t.store, config: testConfig(t.dir), outbox: { wake() {} } });
    const request = async (path: string, init: RequestInit & { cookie?: string } = {}) => {
      const headers = new Headers(init.headers);
      if (init.cookie) headers.set("cookie", init.cookie);
      if (init.method === "POST") headers.set("origin", ORIGIN);
      return await app.request(`${ORIGIN}${path}`, { ...init, headers });
    };
    const login = async (email: string) => {
      const res = await request("/login", {
        method: "POST",
        body: new URLSearchParams({ email, password: "correct horse battery", next: "/" }),
      });
      return res.headers.get("set-cookie")!.split(";")[0];
    };
    const newbie = await login("new@example.test");
    const boss = await login("boss@example.test");
    const page = await (await request("/tickets/1001", { cookie: newbie })).text();
    const version = /name="version" value="(\d+)"/.exec(page)![1];
    const sent = await request("/tickets/1001/reply", {
      method: "POST",
      cookie: newbie,
      body: new URLSearchParams({ text: "全額を返金いたします", status: "pending", version }),
    });
    assert.equal(sent.status, 303);
    assert.match(sent.headers.get("location")!, /approval=requested/);
    const waiting = await (await request(sent.headers.get("location")!, { cookie: newbie }))
      .text();
    assert.match(waiting, /返信は承認待ちになりました/);
    assert.doesNotMatch(waiting, /承認して送信/);

    const inbox = await (await request("/", { cookie: boss })).text();
    assert.match(inbox, /承認待ち<\/span> <span class="count">1<\/span>/);
    const folder = await (await request("/approvals", { cookie: boss })).text();
    assert.match(folder, /返金/);
    assert.equal((await request("/approvals", { cookie: newbie })).status, 403);

    const id = /\/approvals\/(\d+)\/approve/.exec(
      await (await request("/tickets/1001", { cookie: boss })).text(),
    )![1];
    const approved = await request(`/approvals/${id}/approve`, {
      method: "POST",
      cookie: boss,
      body: new URLSearchParams({ text: "山田様\n全額を返金いたします" }),
    });
    assert.equal(approved.status, 303);
    assert.equal(await t.outCount(), 1);
    const after = await (await request("/tickets/1001", { cookie: newbie })).text();
    assert.match(after, /元の文面/);
    assert.match(after, /承認された文面/);
  } finally {
    await t.cleanup();
  }
});

Deno.test("approval: a department's setting holds replies on its tickets", async () => {
  const t = await setup();
  try {
    const ticket = (await findTicketByNumber(t.store.db, 1001))!;
    const res = await t.call("admin", "PATCH", `/departments/${ticket.departmentId}`, {
      requires_approval: true,
    });
    assert.equal(res.status, 200);
    const held = await t.call("newbie", "POST", "/tickets/1001/reply", { text: "確認します" });
    assert.equal(held.status, 202);
    assert.deepEqual((await held.json()).approval.reasons, ["department"]);
  } finally {
    await t.cleanup();
  }
});

Deno.test("approval: one PATCH sets team fields and the approval flag together, or neither", async () => {
  const t = await setup();
  try {
    const res = await t.call("admin", "PATCH", `/agents/${t.newbie.id}`, {
      name: "新人さん",
      requires_approval: true,
    });
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.name, "新人さん");
    assert.equal(body.requires_approval, true);
    // The agent may change their own presence but not the flag: the whole PATCH is refused.
    const mixed = await t.call("newbie", "PATCH", `/agents/${t.newbie.id}`, {
      absent: true,
      requires_approval: false,
    });
    assert.equal(mixed.status, 403);
    const after = await (await t.call("admin", "GET", `/agents/${t.newbie.id}`)).json();
    assert.equal(after.absent, false);
    assert.equal(after.requires_approval, true);

    const ticket = (await findTicketByNumber(t.store.db, 1001))!;
    const dept = await t.call("admin", "PATCH", `/departments/${ticket.departmentId}`, {
      from_name: "サポート窓口",
      requires_approval: true,
    });
    assert.equal(dept.status, 200);
    const d = await dept.json();
    assert.equal(d.from_name, "サポート窓口");
    assert.equal(d.requires_approval, true);
  } finally {
    await t.cleanup();
  }
});
