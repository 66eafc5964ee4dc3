/**
 * Rendering through app.request(): inline images, the CSP around remote images, download names,
 * the profile page (validation, language, time zone) and the customer page.
 */
import assert from "node:assert/strict";
import { createApp } from "../../routes/mod.tsx";
import { contentDisposition } from "../../routes/attachments.ts";
import { createAgent } from "../runtime.ts";
import { ingestMessage } from "../runtime.ts";
import { listMessages } from "../../db/messages.ts";
import { findTicketByNumber } from "../../db/tickets.ts";
import { rawMail, tempStore, testConfig } from "../helpers.ts";

const ORIGIN = "http://localhost";
const PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

async function setup() {
  const db = await tempStore();
  const app = createApp({
    store: db.store,
    config: testConfig(db.dir),
    outbox: { wake: () => {} },
  });
  await createAgent(db.store, {
    email: "agent@example.test",
    name: "担当者",
    password: "correct horse battery",
    role: "agent",
  });
  async function request(path: string, init: RequestInit & { cookie?: string } = {}) {
    const headers = new Headers(init.headers);
    if (init.cookie) headers.set("cookie", init.cookie);
    if (init.method === "POST") headers.set("origin", ORIGIN);
    return await app.request(`${ORIGIN}${path}`, { ...init, headers });
  }
  const res = await request("/login", {
    method: "POST",
    body: new URLSearchParams({ email: "agent@example.test", password: "correct horse battery" }),
  });
  const cookie = res.headers.get("set-cookie")!.split(";")[0];
  const get = (path: string) => request(path, { cookie });
  const post = (path: string, data: Record<string, string>) =>
    request(path, { method: "POST", body: new URLSearchParams(data), cookie });
  async function ingest(raw: string) {
    return await ingestMessage(db.store, new TextEncoder().encode(raw), {
      mailFrom: null,
      rcptTo: ["support@example.test"],
      remoteAddress: null,
    });
  }
  async function messagesOf(number: number) {
    const ticket = (await findTicketByNumber(db.store.db, number))!;
    return { ticket, messages: await listMessages(db.store.db, ticket.id) };
  }
  return { ...db, request, get, post, ingest, messagesOf };
}

/** A mail with an HTML body (cid + remote image) and parts of the given types. */
function mailWithParts(parts: { type: string; name: string; cid?: string; body: string }[]) {
  return [
    "From: 山田 <taro@example.com>",
    "Subject: 画像つき",
    "Message-ID: <img-1@example.com>",
    "MIME-Version: 1.0",
    'Content-Type: multipart/related; boundary="b"',
    "",
    "--b",
    "Content-Type: text/html; charset=utf-8",
    "",
    '<p>ロゴ</p><img src="cid:logo@x" alt="logo"><img src="https://tracker.example/p.gif">',
    ...parts.flatMap((p) => [
      "--b",
      `Content-Type: ${p.type}; name="${p.name}"`,
      "Content-Transfer-Encoding: base64",
      `Content-Disposition: ${p.cid ? "inline" : "attachment"}; filename="${p.name}"`,
      ...(p.cid ? [`Content-ID: <${p.cid}>`] : []),
      "",
      p.body,
    ]),
    "--b--",
    "",
  ].join("\r\n");
}

Deno.test("rendering: the inline route serves png inline and refuses svg and html", async () => {
  const t = await setup();
  try {
    await t.ingest(mailWithParts([
      { type: "image/png", name: "logo.png", cid: "logo@x", body: PNG_BASE64 },
      { type: "image/svg+xml", name: "a.svg", body: btoa("<svg onload='alert(1)'/>") },
      { type: "text/html", name: "a.html", body: btoa("<script>alert(1)</script>") },
    ]));
    const { messages } = await t.messagesOf(1001);
    const [png, svg, html] = messages[0].attachments;

    const ok = await t.get(`/attachments/${png.id}/inline`);
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get("content-type"), "image/png");
    assert.match(ok.headers.get("content-disposition")!, /^inline; filename="logo.png"/);
    assert.equal(ok.headers.get("x-content-type-options"), "nosniff");
    assert.equal((await ok.arrayBuffer()).byteLength, 70);

    for (const part of [svg, html]) {
      const refused = await t.get(`/attachments/${part.id}/inline`);
      assert.equal(refused.status, 415, part.contentType);
      await refused.body?.cancel();
      const download = await t.get(`/attachments/${part.id}`);
      assert.match(download.headers.get("content-disposition")!, /^attachment;/);
      assert.equal(download.headers.get("x-content-type-options"), "nosniff");
      await download.body?.cancel();
    }
    const anonymous = await t.request(`/attachments/${png.id}/inline`);
    assert.equal(anonymous.status, 303, "agents only");
  } finally {
    await t.cleanup();
  }
});

Deno.test("rendering: the ticket page points cid images at the inline route", async () => {
  const t = await setup();
  try {
    await t.ingest(mailWithParts([
      { type: "image/png", name: "logo.png", cid: "logo@x", body: PNG_BASE64 },
    ]));
    const { messages } = await t.messagesOf(1001);
    const res = await t.get("/tickets/1001");
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(
      html,
      new RegExp(`<img alt="logo" src="/attachments/${messages[0].attachments[0].id}/inline" />`),
    );
    assert.doesNotMatch(html, /<iframe/);
  } finally {
    await t.cleanup();
  }
});

Deno.test("rendering: the CSP blocks remote images unless the agent asks for one message's", async () => {
  const t = await setup();
  try {
    await t.ingest(mailWithParts([]));
    const { messages } = await t.messagesOf(1001);
    const id = messages[0].id;

    const strict = await t.get("/tickets/1001");
    const csp = strict.headers.get("content-security-policy")!;
    assert.match(csp, /img-src 'self' data:(;|$)/);
    assert.match(csp, /script-src 'self'/);
    const page = await strict.text();
    assert.doesNotMatch(page, /\ssrc="https:\/\/tracker/);
    assert.match(page, new RegExp(`href="/tickets/1001\\?images=${id}#m${id}">画像を表示`));

    const relaxed = await t.get(`/tickets/1001?images=${id}`);
    assert.match(
      relaxed.headers.get("content-security-policy")!,
      /img-src 'self' data: https: http:(;|$)/,
    );
    assert.match(relaxed.headers.get("content-security-policy")!, /script-src 'self'/);
    assert.match(await relaxed.text(), /<img src="https:\/\/tracker.example\/p.gif" \/>/);

    for (const path of [`/tickets/1001?images=999999`, "/tickets/1001?images=x", "/?images=1"]) {
      const other = await t.get(path);
      assert.match(
        other.headers.get("content-security-policy")!,
        /img-src 'self' data:(;|$)/,
        path,
      );
      await other.body?.cancel();
    }
  } finally {
    await t.cleanup();
  }
});

Deno.test("rendering: Content-Disposition carries Japanese names, quotes and semicolons safely", () => {
  assert.equal(
    contentDisposition("請求書 2024年.pdf"),
    "attachment; filename=\"___ 2024_.pdf\"; filename*=UTF-8''%E8%AB%8B%E6%B1%82%E6%9B%B8%202024%E5%B9%B4.pdf",
  );
  assert.equal(
    contentDisposition('say "hi".txt'),
    "attachment; filename=\"say _hi_.txt\"; filename*=UTF-8''say%20%22hi%22.txt",
  );
  assert.equal(
    contentDisposition("a;b=c.txt"),
    "attachment; filename=\"a;b=c.txt\"; filename*=UTF-8''a%3Bb%3Dc.txt",
  );
  assert.equal(
    contentDisposition("it's (1)*.txt", "inline"),
    "inline; filename=\"it's (1)*.txt\"; filename*=UTF-8''it%27s%20%281%29%2A.txt",
  );
  assert.equal(
    contentDisposition("\\..\\x"),
    "attachment; filename=\"_.._x\"; filename*=UTF-8''%5C..%5Cx",
  );
});

Deno.test("rendering: a Japanese attachment name is downloaded under its own name", async () => {
  const t = await setup();
  try {
    await t.ingest([
      "From: taro@example.com",
      "Subject: 見積",
      "MIME-Version: 1.0",
      'Content-Type: multipart/mixed; boundary="b"',
      "",
      "--b",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "添付します",
      "--b",
      'Content-Type: application/pdf; name="=?UTF-8?B?6KaL56mN5pu4OyDmnIDntYIucGRm?="',
      'Content-Disposition: attachment; filename="=?UTF-8?B?6KaL56mN5pu4OyDmnIDntYIucGRm?="',
      "Content-Transfer-Encoding: base64",
      "",
      btoa("%PDF-1.4"),
      "--b--",
      "",
    ].join("\r\n"));
    const { messages } = await t.messagesOf(1001);
    const att = messages[0].attachments[0];
    assert.equal(att.filename, "見積書; 最終.pdf");
    const res = await t.get(`/attachments/${att.id}`);
    assert.equal(res.status, 200);
    assert.equal(
      res.headers.get("content-disposition"),
      "attachment; filename=\"___; __.pdf\"; filename*=UTF-8''%E8%A6%8B%E7%A9%8D%E6%9B%B8%3B%20%E6%9C%80%E7%B5%82.pdf",
    );
    assert.equal(await res.text(), "%PDF-1.4");
  } finally {
    await t.cleanup();
  }
});

Deno.test("rendering: the profile page validates and keeps what was typed", async () => {
  const t = await setup();
  try {
    const form = await t.get("/settings/profile");
    assert.equal(form.status, 200);
    const page = await form.text();
    assert.match(page, /value="担当者"/);
    assert.match(page, /既定 \(Asia\/Tokyo\)/);

    const bad = await t.post("/settings/profile", {
      name: "  ",
      locale: "fr",
      time_zone: "Mars/Olympus",
    });
    assert.equal(bad.status, 422);
    assert.match(bad.headers.get("content-type")!, /text\/html/);
    const html = await bad.text();
    assert.match(html, /名前を入力してください/);
    assert.match(html, /表示言語を選んでください/);
    assert.match(html, /タイムゾーンが正しくありません/);
    assert.match(html, /<option value="Mars\/Olympus" selected/);

    const tooLong = await t.post("/settings/profile", {
      name: "長".repeat(101),
      locale: "en",
      time_zone: "UTC",
    });
    assert.equal(tooLong.status, 422);
    const kept = await tooLong.text();
    assert.match(kept, new RegExp(`value="${"長".repeat(101)}"`));
    assert.match(kept, /<option value="en" selected/);
    assert.match(kept, /<option value="UTC" selected/);
  } finally {
    await t.cleanup();
  }
});

Deno.test("rendering: switching the profile to English and UTC changes the UI language and dates", async () => {
  const t = await setup();
  try {
    await t.ingest(rawMail({
      From: "taro@example.com",
      Subject: "時刻",
      Date: "Wed, 01 Jan 2031 00:30:00 +0000",
    }, "本文"));
    const before = await (await t.get("/tickets/1001")).text();
    assert.match(before, /<html lang="ja">/);
    assert.match(before, /受信箱/);

    const saved = await t.post("/settings/profile", {
      name: "Agent Smith",
      locale: "en",
      time_zone: "utc",
    });
    assert.equal(saved.status, 303);
    assert.equal(saved.headers.get("location"), "/settings/profile?saved=1");

    const profile = await (await t.get("/settings/profile?saved=1")).text();
    assert.match(profile, /<html lang="en">/);
    assert.match(profile, /Saved/);
    assert.match(profile, /<option value="UTC" selected/);
    assert.match(profile, /Agent Smith/);

    const inbox = await (await t.get("/?status=all")).text();
    assert.match(inbox, />Inbox</);
    assert.doesNotMatch(inbox, /受信箱/);

    const tokyo = new Intl.DateTimeFormat("en-GB", {
      timeZone: "Asia/Tokyo",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    });
    const { messages } = await t.messagesOf(1001);
    const createdAt = messages[0].createdAt;
    const utc = new Intl.DateTimeFormat("en-GB", {
      timeZone: "UTC",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    });
    const ticket = await (await t.get("/tickets/1001")).text();
    assert.ok(ticket.includes(utc.format(createdAt)), "dates in the agent's zone");
    if (utc.format(createdAt) !== tokyo.format(createdAt)) {
      assert.ok(!ticket.includes(tokyo.format(createdAt)), "not in the configured zone");
    }
  } finally {
    await t.cleanup();
  }
});

Deno.test("rendering: the customer page lists that customer's tickets and is linked from ticket and inbox", async () => {
  const t = await setup();
  try {
    for (
      const [from, subject] of [
        ["山田 <Taro@Example.com>", "一件目"],
        ["bob@example.com", "他の人"],
        ["taro@example.com", "二件目"],
      ]
    ) {
      await t.ingest(rawMail({ From: from, Subject: subject }, "本文"));
    }
    const { ticket } = await t.messagesOf(1001);
    const page = await t.get(`/customers/${ticket.customerId}`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-type")!, /text\/html/);
    const html = await page.text();
    assert.match(html, /<h1>山田<\/h1>/);
    assert.match(html, /taro@example.com/);
    assert.match(html, /チケット \(2件\)/);
    assert.match(html, /一件目/);
    assert.match(html, /二件目/);
    assert.doesNotMatch(html, /他の人/);

    const link = `href="/customers/${ticket.customerId}"`;
    assert.ok((await (await t.get("/tickets/1001")).text()).includes(link), "ticket page links");
    assert.ok((await (await t.get("/?status=all")).text()).includes(link), "inbox rows link");

    assert.equal((await t.get("/customers/99999")).status, 404);
    assert.equal((await t.get("/customers/abc")).status, 404);
    assert.equal((await t.request(`/customers/${ticket.customerId}`)).status, 303);
  } finally {
    await t.cleanup();
  }
});

Deno.test("rendering: the customer page pages through many tickets", async () => {
  const t = await setup();
  try {
    for (let i = 1; i <= 23; i++) {
      await t.ingest(rawMail({ From: "many@example.com", Subject: `問い合わせ${i}番` }, "x"));
    }
    const { ticket } = await t.messagesOf(1001);
    const first = await (await t.get(`/customers/${ticket.customerId}`)).text();
    assert.equal(first.match(/data-ticket=/g)?.length, 20);
    assert.match(first, /1 \/ 2/);
    assert.match(first, new RegExp(`href="/customers/${ticket.customerId}\\?page=2"`));
    const second = await (await t.get(`/customers/${ticket.customerId}?page=2`)).text();
    assert.equal(second.match(/data-ticket=/g)?.length, 3);
    assert.match(second, /問い合わせ1番/);
  } finally {
    await t.cleanup();
  }
});
