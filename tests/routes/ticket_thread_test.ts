/** Long conversations: the last messages in full, earlier ones folded; sanitized HTML kept once. */
import assert from "node:assert/strict";
import { createApp } from "../../routes/mod.tsx";
import { createAgent } from "../runtime.ts";
import { createTicketForCustomer, ingestMessage } from "../runtime.ts";
import { SANITIZER_VERSION } from "../../mail/sanitize_html.ts";
import { tempStore, testConfig } from "../helpers.ts";

const ORIGIN = "http://localhost";
const T0 = Date.UTC(2026, 6, 7, 1, 0, 0);

/** A ticket with `n` messages after the first; every third carries HTML with a remote image. */
async function setup(n: number) {
  const db = await tempStore();
  const app = createApp({ store: db.store, config: testConfig(db.dir), outbox: { wake() {} } });
  await createAgent(db.store, {
    email: "agent@example.test",
    name: "担当者",
    password: "correct horse battery",
    role: "agent",
  });
  const { id, number } = await createTicketForCustomer(db.store, {
    customer: { email: "taro@example.com", name: "Taro" },
    subject: "長いやりとり",
    text: "最初のメッセージ",
    channel: "phone",
    supportAddress: "support@example.test",
    agentId: null,
    now: T0,
  });
  await db.store.writeTx((tx) =>
    tx.insertInto("messages").values(Array.from({ length: n }, (_, i) => ({
      ticket_id: id,
      direction: "in" as const,
      from_address: "taro@example.com",
      from_name: "Taro",
      subject: "",
      text_body: `メッセージ ${i + 2}\n本文`,
      // Unsafe on purpose: the view must never show what the sanitizer would drop.
      html_body: i % 3 === 0
        ? `<p onclick="x()">本文 ${
          i + 2
        }</p><img src="https://t.example.com/p.gif"><script>x()</script>`
        : null,
      created_at: T0 + (i + 1) * 60_000,
    }))).execute()
  );
  const login = await app.request(`${ORIGIN}/login`, {
    method: "POST",
    headers: { origin: ORIGIN },
    body: new URLSearchParams({ email: "agent@example.test", password: "correct horse battery" }),
  });
  const cookie = login.headers.get("set-cookie")!.split(";")[0];
  const page = async (path: string) => {
    const res = await app.request(`${ORIGIN}${path}`, { headers: { cookie } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /text\/html/);
    return await res.text();
  };
  return { ...db, page, number, ticketId: id };
}

const articles = (html: string) => [...html.matchAll(/<article class="message/g)].length;

Deno.test("ticket thread: a long conversation shows its last 10 messages, earlier ones folded", async () => {
  const t = await setup(29);
  try {
    const html = await t.page(`/tickets/${t.number}`);
    assert.equal(articles(html), 10);
    assert.match(html, /<details><summary>以前のメッセージ \(20件\)<\/summary>/);
    assert.match(html, /メッセージ 2<\/span>/, "a folded message shows its first line");
    const all = new RegExp(
      `<a href="/tickets/${t.number}\\?thread=all#m\\d+">すべてのメッセージを表示`,
    );
    assert.match(html, all);

    const full = await t.page(`/tickets/${t.number}?thread=all`);
    assert.equal(articles(full), 30);
    assert.doesNotMatch(full, /以前のメッセージ/);
  } finally {
    await t.cleanup();
  }
});

Deno.test("ticket thread: a very long fold lists the first message and the latest, the gap counted", async () => {
  const t = await setup(150);
  try {
    const html = await t.page(`/tickets/${t.number}`);
    assert.equal(articles(html), 10);
    assert.match(html, /<summary>以前のメッセージ \(141件\)<\/summary>/);
    const folded = html.slice(html.indexOf('<div class="older-messages">'));
    const items = [...folded.matchAll(/<li class="in"( value="(\d+)")?>/g)];
    assert.equal(items.length, 100);
    assert.equal(items[0][2], undefined, "the first message keeps its own number");
    assert.match(folded, /<span>最初のメッセージ<\/span>/);
    assert.match(
      folded,
      /<li class="gap"><a href="\/tickets\/\d+\?thread=all#m\d+">… ほか 41件 …<\/a><\/li>/,
    );
    // After the gap, each keeps its place in the thread: the 43rd message up to the 141st.
    assert.equal(items[1][2], "43");
    assert.equal(items[99][2], "141");
    assert.match(folded, /<span>メッセージ 43<\/span>/);
    assert.doesNotMatch(folded, /<span>メッセージ 42<\/span>/);
  } finally {
    await t.cleanup();
  }
});

Deno.test("ticket thread: a short conversation is shown whole", async () => {
  const t = await setup(11);
  try {
    const html = await t.page(`/tickets/${t.number}`);
    assert.equal(articles(html), 12);
    assert.doesNotMatch(html, /以前のメッセージ/);
  } finally {
    await t.cleanup();
  }
});

Deno.test("ticket thread: HTML is sanitized on first view, stored, and not redone while current", async () => {
  const t = await setup(6);
  try {
    const first = await t.page(`/tickets/${t.number}`);
    assert.doesNotMatch(first, /onclick|<script>x|\ssrc="https:\/\/t\.example\.com/);
    assert.match(first, /data-remote-src="https:\/\/t\.example\.com\/p\.gif"/);
    await t.store.close().catch(() => {}); // drains the background write
    const { openStore } = await import("../../db/client.ts");
    const store = await openStore(`file:${t.dir}/test.db`);
    try {
      const rows = await store.db.selectFrom("messages")
        .select(["html_body", "html_safe", "html_safe_version"])
        .where("html_body", "is not", null).execute();
      assert.equal(rows.length, 2);
      for (const r of rows) {
        assert.equal(r.html_safe_version, SANITIZER_VERSION);
        assert.doesNotMatch(r.html_safe!, /onclick|<script/);
      }
    } finally {
      await store.close();
    }
  } finally {
    await Deno.remove(t.dir, { recursive: true });
  }
});

Deno.test("ticket thread: HTML stored by another sanitizer version is sanitized again", async () => {
  const t = await setup(3);
  try {
    // What an older, laxer sanitizer might have stored.
    await t.store.writeTx((tx) =>
      tx.updateTable("messages")
        .set({ html_safe: '<p onclick="x()">old</p>', html_safe_version: SANITIZER_VERSION - 1 })
        .where("html_body", "is not", null).execute()
    );
    const html = await t.page(`/tickets/${t.number}?thread=all`);
    assert.doesNotMatch(html, /onclick|>old</);
    assert.match(html, /本文 2/);
  } finally {
    await t.cleanup();
  }
});

Deno.test("ticket thread: mail sanitized at ingest is shown as stored, nothing sanitized or stored again", async () => {
  const t = await setup(1);
  try {
    const raw = [
      "From: Taro <taro@example.com>",
      "To: support@example.test",
      "Subject: HTML",
      "Message-ID: <html-ingest@example.com>",
      "MIME-Version: 1.0",
      "Content-Type: text/html; charset=utf-8",
      "",
      '<p onclick="x()">取り込み時に</p><img src="https://t.example.com/q.gif"><script>x()</script>',
    ].join("\r\n");
    await ingestMessage(t.store, new TextEncoder().encode(raw), {
      mailFrom: "taro@example.com",
      rcptTo: ["support@example.test"],
      remoteAddress: "127.0.0.1",
    });
    const row = await t.store.db.selectFrom("messages")
      .select(["id", "html_body", "html_safe", "html_safe_version"])
      .where("message_id", "=", "html-ingest@example.com").executeTakeFirstOrThrow();
    assert.equal(row.html_safe_version, SANITIZER_VERSION);
    assert.equal(row.html_safe, null);
    assert.doesNotMatch(row.html_body!, /onclick|<script/);
    const ticket = await t.store.db.selectFrom("messages").innerJoin(
      "tickets",
      "tickets.id",
      "messages.ticket_id",
    ).select("tickets.number").where("messages.id", "=", row.id).executeTakeFirstOrThrow();
    const html = await t.page(`/tickets/${ticket.number}`);
    assert.match(html, /取り込み時に/);
    assert.match(html, /data-remote-src="https:\/\/t\.example\.com\/q\.gif"/);
    assert.doesNotMatch(html, /onclick|<script>x/);
    await t.store.close().catch(() => {}); // any background write would have drained
    const { openStore } = await import("../../db/client.ts");
    const store = await openStore(`file:${t.dir}/test.db`);
    try {
      const after = await store.db.selectFrom("messages").select("html_safe")
        .where("id", "=", row.id).executeTakeFirstOrThrow();
      assert.equal(after.html_safe, null, "nothing stored twice");
    } finally {
      await store.close();
    }
  } finally {
    await Deno.remove(t.dir, { recursive: true });
  }
});
