/**
 * The approval policy page (/admin/approval) and the rule "the first N replies of a new agent":
 * an agent with fewer than N replies sent gets an approval request instead of a mail; the reason
 * is on the request and in the history; from the (N+1)-th reply on, mail goes out.
 */
import assert from "node:assert/strict";
import { approvalTeam } from "./approval_fixture.ts";
import { createApp } from "../../routes/mod.tsx";
import { createAgent, createApiToken, createSession, ingestMessage } from "../runtime.ts";
import { findTicketByNumber } from "../../db/tickets.ts";
import { rawMail, startSmtpSink, tempStore, testConfig } from "../helpers.ts";
import { smtpRelayTransport, startOutboxWorker } from "../../loops/outbox_worker.ts";

const ORIGIN = "http://localhost";

async function setup() {
  const t = await approvalTeam([1, 2, 3].map((n) => ({
    from: `c${n}@example.com`,
    subject: `問い合わせ ${n}`,
    id: `q${n}@example.com`,
    text: "教えてください",
  })));
  const cookie = `madoguchi_session=${await createSession(t.store, t.admin.id, 3600_000)}`;
  function web(path: string, form?: Record<string, string>) {
    const headers = new Headers({ cookie });
    if (form) headers.set("origin", ORIGIN);
    return Promise.resolve(t.app.request(`${ORIGIN}${path}`, {
      method: form ? "POST" : "GET",
      headers,
      body: form ? new URLSearchParams(form) : undefined,
    }));
  }
  return { ...t, web };
}

Deno.test("approval policy: with N = 2 a new agent's first two replies wait, the third is mailed", async () => {
  const t = await setup();
  try {
    const page = await t.web("/admin/approval");
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /新しい担当者の最初の返信/);
    assert.match(html, /name="agent_all_/);

    // The departments page points to it.
    assert.match(await (await t.web("/admin/departments")).text(), /href="\/admin\/approval"/);
    const saved = await t.web("/admin/approval", { first_replies: "2" });
    assert.equal(saved.status, 303);
    assert.equal(saved.headers.get("location"), "/admin/approval?saved=1");
    assert.match(await (await t.web("/admin/approval?saved=1")).text(), /value="2"/);

    const first = await t.api("newbie", "POST", "/tickets/1001/reply", { text: "確認します" });
    assert.equal(first.status, 202);
    const { approval } = await first.json();
    assert.deepEqual(approval.reasons, ["first_replies:2"]);
    assert.equal(await t.outCount(1001), 0);
    // The reason is in the ticket's history, in words.
    const ticketPage = await (await t.web("/tickets/1001")).text();
    assert.match(ticketPage, /返信を承認待ちにしました \(理由: 新しい担当者 \(最初の 2 件\)\)/);

    // Approved: it counts as a sent reply.
    assert.equal(
      (await t.api("admin", "POST", `/approvals/${approval.id}/approve`, {})).status,
      200,
    );
    assert.equal(await t.outCount(1001), 1);
    const second = await t.api("newbie", "POST", "/tickets/1002/reply", { text: "確認します" });
    assert.equal(second.status, 202);
    const again = (await second.json()).approval;
    assert.equal((await t.api("admin", "POST", `/approvals/${again.id}/approve`, {})).status, 200);

    const third = await t.api("newbie", "POST", "/tickets/1003/reply", { text: "確認します" });
    assert.equal(third.status, 201);
    assert.equal(await t.outCount(1003), 1);
  } finally {
    await t.cleanup();
  }
});

Deno.test("approval policy: a department's own N overrides the global one; its checkbox holds every reply", async () => {
  const t = await setup();
  try {
    const ticket = (await findTicketByNumber(t.store.db, 1001))!;
    const d = ticket.departmentId;
    // Globally off, but 5 for this department.
    await t.web("/admin/approval", { first_replies: "0", [`dept_first_${d}`]: "5" });
    const held = await t.api("newbie", "POST", "/tickets/1001/reply", { text: "確認します" });
    assert.equal(held.status, 202);
    assert.deepEqual((await held.json()).approval.reasons, ["first_replies:5"]);

    // The department's checkbox; an unchecked box turns it off again.
    await t.web("/admin/approval", { first_replies: "0", [`dept_all_${d}`]: "on" });
    const all = await t.api("newbie", "POST", "/tickets/1002/reply", { text: "確認します" });
    assert.deepEqual((await all.json()).approval.reasons, ["department"]);
    assert.match(await (await t.web("/admin/approval")).text(), /name="dept_all_\d+" checked/);

    // The agent's checkbox.
    await t.web("/admin/approval", { first_replies: "0", [`agent_all_${t.newbie.id}`]: "on" });
    const own = await t.api("newbie", "POST", "/tickets/1003/reply", { text: "確認します" });
    assert.deepEqual((await own.json()).approval.reasons, ["agent"]);

    const bad = await t.web("/admin/approval", { first_replies: "-1" });
    assert.equal(bad.status, 422);
  } finally {
    await t.cleanup();
  }
});

Deno.test("approval policy: only admins reach the page", async () => {
  const t = await setup();
  try {
    const cookie = `madoguchi_session=${await createSession(t.store, t.newbie.id, 3600_000)}`;
    const res = await Promise.resolve(
      createApp({ store: t.store, config: testConfig(t.dir), outbox: { wake() {} } })
        .request(`${ORIGIN}/admin/approval`, { headers: { cookie } }),
    );
    assert.equal(res.status, 404);
  } finally {
    await t.cleanup();
  }
});

Deno.test("approval end to end at an SMTP sink: request → return → edit → approve → exactly one mail", async () => {
  const sink = await startSmtpSink();
  const db = await tempStore();
  let wake = () => {};
  const worker = await startOutboxWorker(db.store, smtpRelayTransport(sink.url));
  wake = worker.wake;
  try {
    const app = createApp({
      store: db.store,
      config: testConfig(db.dir, { MADOGUCHI_SMTP_RELAY_URL: sink.url }),
      outbox: { wake: () => wake() },
    });
    const boss = await createAgent(db.store, {
      email: "boss@example.test",
      name: "上司",
      password: "correct horse battery",
      role: "supervisor",
    });
    const admin = await createAgent(db.store, {
      email: "admin@example.test",
      name: "管理者",
      password: "correct horse battery",
      role: "admin",
    });
    const newbie = await createAgent(db.store, {
      email: "new@example.test",
      name: "新人",
      password: "correct horse battery",
      role: "agent",
    });
    const token = {
      boss: await createApiToken(db.store, boss.id, "t"),
      admin: await createApiToken(db.store, admin.id, "t"),
      newbie: await createApiToken(db.store, newbie.id, "t"),
    };
    const api = (who: keyof typeof token, method: string, path: string, json?: unknown) =>
      Promise.resolve(app.request(`/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${token[who]}`, "content-type": "application/json" },
        body: json === undefined ? undefined : JSON.stringify(json),
      }));
    await ingestMessage(
      db.store,
      new TextEncoder().encode(rawMail({
        From: "taro@example.com",
        To: "support@example.test",
        Subject: "返金について",
        "Message-ID": "<refund@example.com>",
      }, "返金をお願いします")),
      { mailFrom: null, rcptTo: ["support@example.test"], remoteAddress: null },
    );
    const cookie = `madoguchi_session=${await createSession(db.store, admin.id, 3600_000)}`;
    await app.request(`${ORIGIN}/admin/approval`, {
      method: "POST",
      headers: { cookie, origin: ORIGIN },
      body: new URLSearchParams({ first_replies: "3" }),
    });

    const held = await api("newbie", "POST", "/tickets/1001/reply", { text: "返金します" });
    assert.equal(held.status, 202);
    const first = (await held.json()).approval;
    assert.deepEqual(first.reasons, ["first_replies:3", "keyword:返金"]);
    const back = await api("boss", "POST", `/approvals/${first.id}/return`, {
      comment: "金額と時期を書いてください",
    });
    assert.equal(back.status, 200);
    const edited = await api("newbie", "POST", "/tickets/1001/reply", {
      text: "3,000円を今週中に返金します",
    });
    const second = (await edited.json()).approval;
    const decided = await Promise.all([
      api("boss", "POST", `/approvals/${second.id}/approve`, {
        text: "3,000円を12月4日までに返金いたします",
      }),
      api("boss", "POST", `/approvals/${second.id}/approve`, {}),
    ]);
    assert.deepEqual(decided.map((r) => r.status).sort(), [200, 409]);
    await sink.next();
    await worker.stop();
    assert.equal(sink.messages.length, 1);
    assert.equal(sink.messages[0].to.join(), "taro@example.com");
    // The mail is the approved text, sent as its author.
    const out = await db.store.db.selectFrom("messages").select(["text_body", "agent_id"])
      .where("direction", "=", "out").execute();
    assert.deepEqual(out.map((m) => [m.agent_id, m.text_body.split("\n")[0]]), [
      [newbie.id, "3,000円を12月4日までに返金いたします"],
    ]);
  } finally {
    await worker.stop();
    await sink.close();
    await db.cleanup();
  }
});
