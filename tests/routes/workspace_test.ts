/**
 * The workspace's panes over HTTP: the list beside a ticket is the one last shown at /, the
 * navigation counts departments and tags, the side panel lists the customer's other tickets (only
 * those the agent may see), and notices to agents stay out of the customer conversation.
 */
import assert from "node:assert/strict";
import { createApp } from "../../routes/mod.tsx";
import { createAgent, createSession, createTicketForCustomer } from "../runtime.ts";
import { tempStore, testConfig } from "../helpers.ts";
import { createDepartment } from "../../db/departments.ts";
import { setAgentDepartments, updateAgent } from "../../db/agents.ts";
import { upsertTag } from "../../db/tags.ts";
import { insertMessage } from "../../db/messages.ts";

const ORIGIN = "http://localhost";

async function setup() {
  const db = await tempStore();
  const app = createApp({ store: db.store, config: testConfig(db.dir), outbox: { wake() {} } });
  const sales = await db.store.writeTx((tx) =>
    createDepartment(tx, { name: "営業部", slug: "sales" }, 0)
  );
  const cookie = async (email: string, restricted: boolean) => {
    const a = await createAgent(db.store, {
      email,
      name: email.split("@")[0],
      password: "correct horse battery",
      role: restricted ? "agent" : "admin",
    });
    if (restricted) {
      await db.store.writeTx(async (tx) => {
        await setAgentDepartments(tx, a.id, [sales.id]);
        await updateAgent(tx, a.id, { restricted: true });
      });
    }
    return `madoguchi_session=${await createSession(db.store, a.id, 3600_000)}`;
  };
  const admin = await cookie("admin@example.test", false);
  const seller = await cookie("seller@example.test", true);
  const open = (subject: string, departmentId?: number) =>
    createTicketForCustomer(db.store, {
      customer: { email: "taro@example.com", name: "山田 太郎" },
      subject,
      text: "本文",
      channel: "web",
      departmentId,
    });
  const first = await open("請求書の再発行");
  const second = await open("領収書の宛名");
  const third = await open("営業部への見積もり依頼", sales.id);
  async function get(who: string, path: string, extraCookie = "") {
    const res = await app.request(`${ORIGIN}${path}`, {
      headers: { cookie: extraCookie ? `${who}; ${extraCookie}` : who },
    });
    return { res, html: await res.text() };
  }
  return { db, admin, seller, first, second, third, sales, get };
}

/** The HTML of one element by its opening tag's start, up to its closing tag (not nested). */
function section(html: string, start: string, end: string): string {
  const i = html.indexOf(start);
  assert.ok(i >= 0, `${start} is on the page`);
  return html.slice(i, html.indexOf(end, i));
}

Deno.test("workspace: the list beside a ticket is the one last shown at /", async () => {
  const { db, admin, first, get } = await setup();
  try {
    const inbox = await get(admin, "/?status=all&sort=oldest");
    assert.equal(inbox.res.status, 200);
    const set = inbox.res.headers.get("set-cookie") ?? "";
    const kept = set.match(/madoguchi_list=([^;]*)/)?.[1];
    assert.ok(kept, "GET / keeps its list query");
    const beside = await get(admin, `/tickets/${first.number}`, `madoguchi_list=${kept}`);
    assert.equal(beside.res.status, 200);
    assert.match(beside.html, /class="workspace has-ticket"/);
    assert.match(beside.html, /<a href="\/\?status=all[^"]*" class="active" aria-current="page"/);
    // Oldest first: the open ticket is the first row, and marked.
    const rows = [...beside.html.matchAll(/<tr data-ticket="(\d+)"( class="open-row")?/g)];
    assert.equal(rows[0][1], String(first.number));
    assert.equal(rows[0][2], ' class="open-row"');
    assert.match(beside.html, /<a class="back" href="\/\?status=all&amp;sort=oldest">/);
    // Without the cookie: the default folder (未対応).
    const fresh = await get(admin, `/tickets/${first.number}`);
    assert.match(fresh.html, /<a href="\/\?status=new[^"]*" class="active"/);
    assert.match(fresh.html, /<a class="back" href="\/">/);
  } finally {
    await db.cleanup();
  }
});

Deno.test("workspace: navigation counts per department and tag, in the folder shown", async () => {
  const { db, admin, first, second, sales, get } = await setup();
  try {
    await db.store.writeTx(async (tx) => {
      const tag = await upsertTag(tx, { name: "請求", color: "#bf3989" }, 0);
      await tx.insertInto("ticket_tags").values([
        { ticket_id: first.id, tag_id: tag.id },
        { ticket_id: second.id, tag_id: tag.id },
      ]).execute();
    });
    const { html } = await get(admin, "/");
    const more = section(html, '<nav class="ws-more', "</nav>");
    assert.match(
      more,
      new RegExp(`data-department="${sales.id}"[^>]*>.*?営業部</span> <span class="count">1<`),
    );
    assert.match(more, /data-tag="請求".*?<span class="count">2</);
    const resolved = await get(admin, "/?status=resolved");
    assert.match(
      section(resolved.html, '<nav class="ws-more', "</nav>"),
      /data-tag="請求".*?<span class="count">0</,
    );
  } finally {
    await db.cleanup();
  }
});

Deno.test("workspace: the customer card lists their other tickets this agent may see", async () => {
  const { db, admin, seller, first, second, third, get } = await setup();
  try {
    const { html } = await get(admin, `/tickets/${second.number}`);
    const card = section(html, '<section class="side-card customer-card', "</section>");
    assert.match(card, new RegExp(`href="/tickets/${first.number}"`));
    assert.match(card, new RegExp(`href="/tickets/${third.number}"`));
    assert.doesNotMatch(card, new RegExp(`href="/tickets/${second.number}"`));
    // A restricted agent of 営業部 sees only that department's tickets of the customer.
    const theirs = await get(seller, `/tickets/${third.number}`);
    const sellerCard = section(
      theirs.html,
      '<section class="side-card customer-card',
      "</section>",
    );
    assert.doesNotMatch(sellerCard, /\/tickets\/100[12]"/);
    assert.match(sellerCard, /他の問い合わせはありません/);
  } finally {
    await db.cleanup();
  }
});

Deno.test("workspace: notices to agents stay out of the customer conversation", async () => {
  const { db, admin, first, get } = await setup();
  try {
    await db.store.writeTx((tx) =>
      insertMessage(tx, {
        ticketId: first.id,
        direction: "note",
        messageId: null,
        inReplyTo: null,
        references: [],
        from: { address: "support@example.test", name: "窓口" },
        to: [{ address: "boss@example.test", name: "上長" }],
        cc: [],
        subject: "[SLA] 初回応答の期限が近づいています #1001",
        text: "初回応答の期限は 12:00 です。",
        html: null,
        autoKind: "auto-reply",
        rawId: null,
        agentId: null,
        createdAt: Date.now(),
        attachments: [],
      })
    );
    const { html } = await get(admin, `/tickets/${first.number}`);
    const conversation = section(html, '<section class="conversation">', '<section class="reply"');
    assert.doesNotMatch(conversation, /初回応答の期限は 12:00/);
    const notices = section(html, '<section class="side-card agent-notices', "</section>");
    assert.match(notices, /\[SLA\] 初回応答の期限が近づいています/);
    assert.match(notices, /上長/);
  } finally {
    await db.cleanup();
  }
});

Deno.test("workspace: list times are relative, with the exact instant in the title", async () => {
  const { db, admin, get } = await setup();
  try {
    const { html } = await get(admin, "/");
    assert.match(
      html,
      /<td class="updated"><time datetime="\d{4}-\d\d-\d\dT[^"]+" title="\d{4}\/\d\d\/\d\d\([^)]+\) \d\d:\d\d">(たった今|\d+分前)<\/time>/,
    );
  } finally {
    await db.cleanup();
  }
});

Deno.test("workspace: the side panel's team forms confirm with a flash message", async () => {
  const { db, admin, first } = await setup();
  try {
    const app = createApp({ store: db.store, config: testConfig(db.dir), outbox: { wake() {} } });
    const post = (path: string, form: Record<string, string>) =>
      app.request(`${ORIGIN}${path}`, {
        method: "POST",
        headers: { cookie: admin, origin: ORIGIN },
        body: new URLSearchParams(form),
      });
    const cases: [string, Record<string, string>, string][] = [
      ["assign", { assignee_id: "me" }, "flash.assigned"],
      ["tags", {}, "flash.tagsSaved"],
      ["notes", { note: "確認済み" }, "flash.noteAdded"],
    ];
    for (const [form, body, key] of cases) {
      const res = await post(`/tickets/${first.number}/${form}`, body);
      assert.equal(res.status, 303, form);
      assert.match(res.headers.get("set-cookie") ?? "", new RegExp(`madoguchi_flash=${key}`));
    }
  } finally {
    await db.cleanup();
  }
});
