/** The reply composer as a plain form (no JavaScript): recipients, files, signature, note mode. */
import assert from "node:assert/strict";
// @ts-types="@types/mailparser"
import { simpleParser } from "mailparser";
import { Buffer } from "node:buffer";
import { createApp } from "../../routes/mod.tsx";
import { createAgent, ingestMessage } from "../runtime.ts";
import { listMessages } from "../../db/messages.ts";
import { findTicketByNumber } from "../../db/tickets.ts";
import { unpackBytes } from "../../db/stored_bytes.ts";
import { rawMail, tempStore, testConfig } from "../helpers.ts";
import { agent, run, testRuntime } from "../runtime.ts";
import { updateRequiresApproval } from "../../db/approvals.ts";
import { sendReply } from "../../services/approvals.ts";

const ORIGIN = "http://localhost";

async function setup() {
  const db = await tempStore();
  const config = testConfig(db.dir);
  const app = createApp({ store: db.store, config, outbox: { wake: () => {} } });
  await createAgent(db.store, {
    email: "admin@example.test",
    name: "管理者",
    password: "correct horse battery",
    role: "admin",
  });
  async function request(path: string, init: RequestInit & { cookie?: string } = {}) {
    const headers = new Headers(init.headers);
    if (init.cookie) headers.set("cookie", init.cookie);
    if (init.method === "POST") headers.set("origin", ORIGIN);
    return await app.request(`${ORIGIN}${path}`, { ...init, headers });
  }
  const login = await request("/login", {
    method: "POST",
    body: new URLSearchParams({
      email: "admin@example.test",
      password: "correct horse battery",
      next: "/",
    }),
  });
  const cookie = login.headers.get("set-cookie")!.split(";")[0];
  await ingestMessage(
    db.store,
    new TextEncoder().encode(rawMail({
      From: "山田太郎 <taro@example.com>",
      To: "support@example.test",
      Cc: "経理 <keiri@example.com>",
      Subject: "請求書のPDFがほしい",
      "Message-ID": "<c1@example.com>",
    }, "PDFで送ってください")),
    { mailFrom: null, rcptTo: ["support@example.test"], remoteAddress: null },
  );
  const ticket = (await findTicketByNumber(db.store.db, 1001))!;
  /** Posts the reply form as a browser without JavaScript does: multipart. */
  function post(fields: Record<string, string>, files: File[] = []) {
    const body = new FormData();
    for (const [k, v] of Object.entries(fields)) body.append(k, v);
    for (const f of files) body.append("attachments", f);
    // An empty file input still posts one empty part.
    if (files.length === 0) body.append("attachments", new File([], ""));
    return request("/tickets/1001/reply", { method: "POST", body, cookie });
  }
  async function outbox() {
    const rows = await db.store.db.selectFrom("outbox").select([
      "envelope_to",
      "raw",
      "raw_encoding",
    ])
      .orderBy("id").execute();
    return await Promise.all(rows.map(async (r) => ({
      envelope: JSON.parse(r.envelope_to) as string[],
      parsed: await simpleParser(Buffer.from(unpackBytes(new Uint8Array(r.raw), r.raw_encoding))),
    })));
  }
  const page = async () => await (await request("/tickets/1001", { cookie })).text();
  return { ...db, request, cookie, ticket, post, outbox, page };
}

const base = { status: "pending", signed: "1", mode: "reply" };

Deno.test("composer page: reply-all filled in, the signature in the text, a multipart form with a file input", async () => {
  const t = await setup();
  try {
    const saved = await t.request("/settings/profile/signature", {
      method: "POST",
      cookie: t.cookie,
      body: new URLSearchParams({ signature: "管理者\r\nサポート窓口 03-0000-0000" }),
    });
    assert.equal(saved.status, 303);
    const html = await t.page();
    assert.match(html, /<form[^>]*id="reply-form"[^>]*enctype="multipart\/form-data"/);
    assert.match(html, /name="to" value="山田太郎 &lt;taro@example.com>"/);
    assert.match(html, /name="cc" value="経理 &lt;keiri@example.com>"/);
    assert.match(
      html,
      /<textarea[^>]*name="text"[^>]*>\n\n管理者\nサポート窓口 03-0000-0000<\/textarea>/,
    );
    assert.match(html, /<input type="file" name="attachments" multiple/);
    assert.match(html, /name="mode" value="note"/);
    // The profile shows the saved signature.
    const profile = await (await t.request("/settings/profile", { cookie: t.cookie })).text();
    assert.match(profile, /管理者\nサポート窓口 03-0000-0000<\/textarea>/);
  } finally {
    await t.cleanup();
  }
});

Deno.test("composer form: a reply with a file and edited recipients, without JavaScript", async () => {
  const t = await setup();
  try {
    // 3 MB: over the app's general 2 MiB body limit, within the upload limits.
    const big = new Uint8Array(3 * 1024 * 1024).fill(65);
    const res = await t.post({
      ...base,
      text: "請求書をお送りします。\n\n管理者",
      to: "山田太郎 <taro@example.com>",
      cc: '"Keiri, Dept" <keiri@example.com>, boss@example.org',
      bcc: "archive@example.org",
    }, [
      new File(["%PDF-1.4"], "請求書.pdf", { type: "application/pdf" }),
      new File([big], "data.csv", { type: "text/csv" }),
    ]);
    assert.equal(res.status, 303);
    const [mail] = await t.outbox();
    assert.deepEqual(mail.envelope, [
      "taro@example.com",
      "keiri@example.com",
      "boss@example.org",
      "archive@example.org",
    ]);
    assert.deepEqual(mail.parsed.attachments.map((a) => [a.filename, a.size]), [
      ["請求書.pdf", 8],
      ["data.csv", big.byteLength],
    ]);
    assert.equal(mail.parsed.bcc, undefined);
    // Signed: the text goes as written, no signature added twice.
    assert.equal((mail.parsed.text ?? "").trim(), "請求書をお送りします。\n\n管理者");
    const out = (await listMessages(t.store.db, t.ticket.id)).find((m) => m.direction === "out")!;
    assert.deepEqual(out.cc.map((a) => a.name), ["Keiri, Dept", ""]);
    const html = await t.page();
    assert.match(
      html,
      /<dt>Cc:<\/dt> <dd>Keiri, Dept &lt;keiri@example.com>, boss@example.org<\/dd>/,
    );
    assert.match(html, /<dt>Bcc:<\/dt> <dd>archive@example.org<\/dd>/);
    assert.match(
      html,
      new RegExp(`<a href="/attachments/${out.attachments[0].id}">請求書.pdf</a>`),
    );
  } finally {
    await t.cleanup();
  }
});

Deno.test("composer form: a refused recipient or file comes back beside its field, in Japanese, text kept", async () => {
  const t = await setup();
  try {
    const bad = await t.post({
      ...base,
      text: "本文はそのまま",
      to: "taro@example.com",
      cc: "a@example.com b@example.com",
      bcc: "",
    }, [new File(["x"], "a.txt")]);
    assert.equal(bad.status, 422);
    const html = await bad.text();
    assert.match(
      html,
      /id="composer-cc-error"[^>]*>「a@example.com b@example.com」はメールアドレスとして読めません/,
    );
    assert.match(html, /name="cc" value="a@example.com b@example.com"/);
    assert.match(html, />本文はそのまま<\/textarea>/);
    assert.match(html, /ファイルはもう一度選んでください/);

    const own = await t.post({ ...base, text: "x", to: "support@example.test" });
    assert.match(await own.text(), /「support@example.test」はこの窓口自身のアドレスです/);

    const files = Array.from({ length: 6 }, (_, i) => new File(["x"], `f${i}.txt`));
    const many = await t.post({ ...base, text: "x", to: "taro@example.com" }, files);
    assert.equal(many.status, 422);
    assert.match(await many.text(), /添付できるファイルは5個までです/);

    const unfilled = await t.post({ ...base, text: "{{order.id}} を確認", to: "taro@example.com" });
    assert.equal(unfilled.status, 422);
    const text = await unfilled.text();
    assert.match(text, /変数 \{\{order\.id\}\} が埋まっていません/);
    assert.match(text, />\{\{order\.id\}\} を確認<\/textarea>/);
    assert.equal((await t.outbox()).length, 0);
  } finally {
    await t.cleanup();
  }
});

Deno.test("composer form: note mode adds an internal note without the signature, keeps its files for agents, and mails nothing", async () => {
  const t = await setup();
  try {
    await t.request("/settings/profile/signature", {
      method: "POST",
      cookie: t.cookie,
      body: new URLSearchParams({ signature: "管理者" }),
    });
    const tooMany = await t.post(
      { ...base, mode: "note", text: "見積書一式\n\n管理者", to: "" },
      Array.from({ length: 6 }, (_, i) => new File(["x"], `f${i}.txt`)),
    );
    assert.equal(tooMany.status, 422);
    assert.match(await tooMany.text(), /添付できるファイルは5個までです/);
    const res = await t.post(
      { ...base, mode: "note", text: "経理に確認中\n\n管理者", to: "taro@example.com" },
      [new File(["見積"], "quote.txt", { type: "text/plain" })],
    );
    assert.equal(res.status, 303);
    const notes = (await listMessages(t.store.db, t.ticket.id)).filter((m) =>
      m.direction === "note"
    );
    assert.equal(notes.length, 1);
    assert.equal(notes[0].text, "経理に確認中");
    const files = await t.store.db.selectFrom("attachments").select("filename")
      .where("message_id", "=", notes[0].id).execute();
    assert.deepEqual(files.map((f) => f.filename), ["quote.txt"]);
    assert.equal((await t.outbox()).length, 0);
  } finally {
    await t.cleanup();
  }
});

Deno.test("composer form: a body past the upload limit gets a 413 page with the way back", async () => {
  const t = await setup();
  try {
    const huge = new File([new Uint8Array(22 * 1024 * 1024)], "huge.bin");
    const res = await t.post({ ...base, text: "x", to: "taro@example.com" }, [huge]);
    assert.equal(res.status, 413);
    assert.match(await res.text(), /href="\/tickets\/1001#reply"/);
    assert.equal((await t.outbox()).length, 0);
  } finally {
    await t.cleanup();
  }
});

Deno.test("composer: the approver sees what a waiting request will send — recipients and files", async () => {
  const t = await setup();
  try {
    const author = await createAgent(t.store, {
      email: "new@example.test",
      name: "新人",
      password: "x".repeat(10),
      role: "agent",
    });
    await t.store.writeTx((tx) => updateRequiresApproval(tx, author.id, true));
    await run(testRuntime(t.store), (ctx) =>
      sendReply(ctx, {
        ticketId: t.ticket.id,
        text: "お送りします",
        status: "pending",
        recipients: { bcc: ["boss@example.org"] },
        attachments: [{
          filename: "見積書.pdf",
          contentType: "application/pdf",
          content: new Uint8Array([1]),
        }],
      }), { actor: agent({ ...author, role: "agent" }) });
    const html = await t.page();
    const panel = html.slice(html.indexOf('class="approvals"'));
    assert.match(panel, /<dt>Cc:<\/dt> <dd>経理 &lt;keiri@example.com><\/dd>/);
    assert.match(panel, /<dt>Bcc:<\/dt> <dd>boss@example.org<\/dd>/);
    assert.match(panel, /<dt>添付ファイル:<\/dt> <dd>見積書.pdf<\/dd>/);
  } finally {
    await t.cleanup();
  }
});
