/** Send delay (送信取消): a reply waits in the outbox and can be cancelled until then. */
import assert from "node:assert/strict";
import { createApp } from "../../routes/mod.tsx";
import { createAgent } from "../runtime.ts";
import { listMessages } from "../../db/messages.ts";
import { findTicketByNumber } from "../../db/tickets.ts";
import { dueOutboxItems } from "../../db/outbox.ts";
import { listReplyDrafts } from "../../db/reply_drafts.ts";
import { ingestMessage } from "../runtime.ts";
import { rawMail, tempStore, testConfig } from "../helpers.ts";

const ORIGIN = "http://localhost";
const T0 = Date.UTC(2026, 0, 5, 1, 0, 0);

async function setup() {
  const db = await tempStore();
  let now = T0;
  const app = createApp({
    store: db.store,
    config: testConfig(db.dir, { MADOGUCHI_SMTP_RELAY_URL: "smtp://127.0.0.1:9" }),
    outbox: { wake() {} },
    now: () => now,
  });
  await createAgent(db.store, {
    email: "sato@example.test",
    name: "佐藤",
    password: "correct horse battery",
    role: "agent",
  });
  const request = async (path: string, init: RequestInit & { cookie?: string } = {}) => {
    const headers = new Headers(init.headers);
    if (init.cookie) headers.set("cookie", init.cookie);
    if (init.method === "POST") headers.set("origin", ORIGIN);
    return await app.request(`${ORIGIN}${path}`, { ...init, headers });
  };
  const res = await request("/login", {
    method: "POST",
    body: new URLSearchParams({
      email: "sato@example.test",
      password: "correct horse battery",
      next: "/",
    }),
  });
  const cookie = res.headers.get("set-cookie")!.split(";")[0];
  await ingestMessage(
    db.store,
    new TextEncoder().encode(rawMail({
      From: "taro@example.com",
      To: "support@example.test",
      Subject: "請求書",
      "Message-ID": "<first@example.com>",
    }, "再発行をお願いします")),
    { mailFrom: null, rcptTo: ["support@example.test"], remoteAddress: null },
    { now: () => T0 },
  );
  return { ...db, request, cookie, setNow: (t: number) => (now = t) };
}

async function reply(t: Awaited<ReturnType<typeof setup>>, text: string) {
  const page = await (await t.request("/tickets/1001", { cookie: t.cookie })).text();
  const version = /name="version" value="(\d+)"/.exec(page)![1];
  const res = await t.request("/tickets/1001/reply", {
    method: "POST",
    cookie: t.cookie,
    body: new URLSearchParams({ text, status: "pending", version }),
  });
  assert.equal(res.status, 303);
  return Number(/#m(\d+)$/.exec(res.headers.get("location")!)![1]);
}

Deno.test("undo send: with a 10 s delay the reply waits, shows a cancel button, and cancelling puts it back as a draft", async () => {
  const t = await setup();
  try {
    const set = await t.request("/settings/send-delay", {
      method: "POST",
      cookie: t.cookie,
      body: new URLSearchParams({ seconds: "10" }),
    });
    assert.equal(set.status, 303);
    const id = await reply(t, "再発行しました。");
    assert.deepEqual(await dueOutboxItems(t.store.db, T0 + 9_999, 10, "test"), []);
    const page = await (await t.request("/tickets/1001", { cookie: t.cookie })).text();
    assert.match(page, new RegExp(`/tickets/1001/messages/${id}/cancel`));
    // Without JavaScript the page says when it goes; the countdown script reads data-seconds.
    assert.match(page, /10:00:10 に送信されます。/);
    assert.match(page, /data-seconds="10"/);

    t.setNow(T0 + 4_000);
    const cancel = await t.request(`/tickets/1001/messages/${id}/cancel`, {
      method: "POST",
      cookie: t.cookie,
    });
    assert.equal(cancel.status, 303);
    const ticket = (await findTicketByNumber(t.store.db, 1001))!;
    assert.equal(ticket.status, "new");
    assert.equal(ticket.messageCount, 1);
    assert.deepEqual((await listMessages(t.store.db, ticket.id)).map((m) => m.direction), ["in"]);
    assert.deepEqual(await dueOutboxItems(t.store.db, T0 + 60_000, 10, "test"), []);
    assert.equal((await listReplyDrafts(t.store.db, ticket.id))[0].text, "再発行しました。");
    const events = await t.store.db.selectFrom("events").select("kind")
      .where("kind", "=", "reply.cancelled").execute();
    assert.equal(events.length, 1);
    const after = await (await t.request("/tickets/1001", { cookie: t.cookie })).text();
    assert.match(after, /再発行しました。<\/textarea>/);
  } finally {
    await t.cleanup();
  }
});

Deno.test("undo send: after the delay the outbox sends it and a cancel is refused", async () => {
  const t = await setup();
  try {
    await t.request("/settings/send-delay", {
      method: "POST",
      cookie: t.cookie,
      body: new URLSearchParams({ seconds: "10" }),
    });
    const id = await reply(t, "再発行しました。");
    assert.equal((await dueOutboxItems(t.store.db, T0 + 10_000, 10, "test")).length, 1);
    t.setNow(T0 + 10_000);
    const page = await (await t.request("/tickets/1001", { cookie: t.cookie })).text();
    assert.doesNotMatch(page, /送信を取り消す/);
    const cancel = await t.request(`/tickets/1001/messages/${id}/cancel`, {
      method: "POST",
      cookie: t.cookie,
    });
    assert.equal(cancel.status, 409);
  } finally {
    await t.cleanup();
  }
});

Deno.test("undo send: without a delay a reply is due at once", async () => {
  const t = await setup();
  try {
    await reply(t, "再発行しました。");
    assert.equal((await dueOutboxItems(t.store.db, T0, 10, "test")).length, 1);
  } finally {
    await t.cleanup();
  }
});
