/** The customer's page (/c/<token>) and the status check (/status) through app.request(). */
import assert from "node:assert/strict";
import { listMessages } from "../../db/messages.ts";
import { findTicketByNumber } from "../../db/tickets.ts";
import { changeStatus } from "../runtime.ts";
import { LINK_GRACE_DAYS } from "../../domain/customer_link_policy.ts";
import { STATUS_FAILURES_PER_NUMBER } from "../../routes/status.tsx";
import { accessKeyIn, customerPath, setupCustomerApp, tokenIn } from "./customer_helpers.ts";

type T = Awaited<ReturnType<typeof setupCustomerApp>>;

/** Sends an inquiry and returns the customer's link and access key from the confirmation. */
async function inquireAndOpenMail(t: T) {
  const res = await t.inquire({ name: "山田 太郎", text: "請求書を<script>alert(1)</script>" });
  assert.equal(res.status, 303);
  const mail = (await t.outbox()).find((m) => m.to.includes("taro@example.com"))!;
  const text = mail.mail.text ?? "";
  return {
    path: customerPath(text),
    key: accessKeyIn(text),
    ticket: (await findTicketByNumber(t.store.db, 1001))!,
  };
}

async function agentReply(t: T, cookie: string, text: string) {
  const res = await t.request("/tickets/1001/reply", {
    method: "POST",
    body: new URLSearchParams({ text, status: "pending" }),
    cookie,
  });
  assert.equal(res.status, 303);
}

Deno.test("customer page: the link from the confirmation shows the conversation, never internal notes, with no JavaScript", async () => {
  const t = await setupCustomerApp();
  try {
    const { path } = await inquireAndOpenMail(t);
    const cookie = await t.login();
    await agentReply(t, cookie, "担当の佐藤です。再発行いたします。");
    const res = await t.request(path);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type")!, /text\/html/);
    assert.equal(res.headers.get("cache-control"), "private, no-store");
    const html = await res.text();
    assert.match(html, /<meta name="referrer" content="no-referrer"\/>/);
    assert.doesNotMatch(html, /<script/i); // 0 KB JS, and the customer's markup is escaped
    assert.match(html, /請求書を&lt;script>alert\(1\)&lt;\/script>/);
    assert.match(html, /担当の佐藤です。再発行いたします。/);
    assert.match(html, /お客様のご返信待ち/);
    // The agents' notification is an internal note; the confirmation is automatic mail.
    assert.doesNotMatch(html, /新規問い合わせ/);
    assert.doesNotMatch(html, /お問い合わせを受け付けました/);
    const ticket = (await findTicketByNumber(t.store.db, 1001))!;
    const notes = (await listMessages(t.store.db, ticket.id)).filter((m) => m.direction === "note");
    assert.ok(notes.length > 0, "the agents' notification is recorded as a note");
    for (const note of notes) assert.ok(!html.includes(note.text.split("\n")[0]));
  } finally {
    await t.cleanup();
  }
});

Deno.test("customer page: a reply joins the ticket like mail, reopens it, and a replayed post adds nothing", async () => {
  const t = await setupCustomerApp();
  try {
    const { path, ticket } = await inquireAndOpenMail(t);
    await changeStatus(t.store, ticket.id, "resolved", null);
    const page = await (await t.request(path)).text();
    assert.match(page, /このお問い合わせは完了しています/);
    const fields = { form_token: tokenIn(page), text: "もう一点お願いがあります。" };
    const files: [string, Uint8Array, string][] = [[
      "メモ.txt",
      new TextEncoder().encode("memo"),
      "text/plain",
    ]];
    const first = await t.postForm(path, fields, { files });
    assert.equal(first.status, 303);
    const location = first.headers.get("location")!;
    assert.match(location, new RegExp(`^${path}\\?sent=1#m\\d+$`));
    const replay = await t.postForm(path, fields, { files });
    assert.equal(replay.headers.get("location"), location);

    const after = (await findTicketByNumber(t.store.db, 1001))!;
    assert.equal(after.status, "new"); // statusAfterCustomerMessage: resolved → new
    const inbound = (await listMessages(t.store.db, ticket.id)).filter((m) => m.direction === "in");
    assert.equal(inbound.length, 2);
    assert.equal(inbound[1].text, "もう一点お願いがあります。");
    assert.equal(inbound[1].fromAddress, "taro@example.com");
    assert.deepEqual(inbound[1].attachments.map((a) => a.filename), ["メモ.txt"]);
    const events = await t.store.db.selectFrom("events").select(["kind", "data_json"])
      .where("ticket_id", "=", ticket.id).where("kind", "=", "web.joined").execute();
    assert.equal(events.length, 1);

    const shown = await (await t.request(location.split("#")[0])).text();
    assert.match(shown, /返信を送信しました/);
    const download = await t.request(`${path}/attachments/${inbound[1].attachments[0].id}`);
    assert.equal(download.status, 200);
    assert.equal(download.headers.get("x-content-type-options"), "nosniff");
    assert.match(download.headers.get("content-disposition")!, /^attachment;/);
    assert.equal(await download.text(), "memo");
  } finally {
    await t.cleanup();
  }
});

Deno.test("customer page: an empty reply or a forged form token re-renders with the text kept", async () => {
  const t = await setupCustomerApp();
  try {
    const { path } = await inquireAndOpenMail(t);
    const page = await (await t.request(path)).text();
    const empty = await t.postForm(path, { form_token: tokenIn(page), text: "   " });
    assert.equal(empty.status, 422);
    assert.match(await empty.text(), /返信内容を入力してください/);
    const forged = await t.postForm(path, { form_token: "1.AAAA.BBBB", text: "<b>残す</b>" });
    assert.equal(forged.status, 422);
    const html = await forged.text();
    assert.match(html, /有効期限が切れた/);
    assert.match(html, />&lt;b>残す&lt;\/b><\/textarea>/);
  } finally {
    await t.cleanup();
  }
});

Deno.test("customer page: a reply with control characters or past the length limit is refused in the customer's language, nothing added", async () => {
  const t = await setupCustomerApp();
  try {
    const { path, ticket } = await inquireAndOpenMail(t);
    const before = (await listMessages(t.store.db, ticket.id)).length;
    const page = await (await t.request(path)).text();
    const nul = await t.postForm(path, { form_token: tokenIn(page), text: "a\u0000b" });
    assert.equal(nul.status, 422);
    assert.match(await nul.text(), /制御文字は使えません/);
    const long = await t.postForm(
      path,
      { form_token: tokenIn(page), text: "x".repeat(20_001) },
      { lang: "en" },
    );
    assert.equal(long.status, 422);
    assert.match(await long.text(), /Use at most 20000 characters/);
    assert.equal((await listMessages(t.store.db, ticket.id)).length, before);
  } finally {
    await t.cleanup();
  }
});

Deno.test("customer page: forged links are 404 and lead to the status check; attachments of other tickets are not served", async () => {
  const t = await setupCustomerApp();
  try {
    const { path } = await inquireAndOpenMail(t);
    for (
      const forged of ["/c/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "/c/short", `${path}x`]
    ) {
      const res = await t.request(forged);
      assert.equal(res.status, 404, forged);
      const html = await res.text();
      assert.match(html, /href="\/status"/);
      assert.doesNotMatch(html, /<script/i);
    }
    // A second customer's attachment is not reachable through the first customer's link.
    const other = await t.postForm("/inquiry/support", {
      form_token: await t.formToken("/inquiry/support"),
      name: "鈴木",
      email: "suzuki@example.com",
      subject: "別件",
      text: "添付",
    }, { files: [["secret.txt", new TextEncoder().encode("secret"), "text/plain"]] });
    assert.equal(other.status, 303);
    const ticket = (await findTicketByNumber(t.store.db, 1002))!;
    const [message] = await listMessages(t.store.db, ticket.id);
    const res = await t.request(`${path}/attachments/${message.attachments[0].id}`);
    assert.equal(res.status, 404);
  } finally {
    await t.cleanup();
  }
});

Deno.test("customer page: links expire 30 days after resolution and die when an agent rotates them", async () => {
  const clock = { now: Date.now() };
  const t = await setupCustomerApp({ clock });
  try {
    const { path, key, ticket } = await inquireAndOpenMail(t);
    await changeStatus(t.store, ticket.id, "resolved", null, clock.now);
    clock.now += (LINK_GRACE_DAYS - 1) * 24 * 3600_000;
    assert.equal((await t.request(path)).status, 200, "still valid within the grace period");
    clock.now += 2 * 24 * 3600_000;
    const gone = await t.request(path);
    assert.equal(gone.status, 410);
    assert.match(await gone.text(), /このリンクは使えなくなりました/);
    const status = await t.request("/status", {
      method: "POST",
      body: new URLSearchParams({ number: "1001", key }),
    });
    assert.equal(status.status, 410);
  } finally {
    await t.cleanup();
  }

  const r = await setupCustomerApp();
  try {
    const { path, key } = await inquireAndOpenMail(r);
    const cookie = await r.login();
    const page = await (await r.request("/tickets/1001", { cookie })).text();
    assert.match(page, /action="\/tickets\/1001\/customer-link\/rotate"/);
    const rotated = await r.request("/tickets/1001/customer-link/rotate", {
      method: "POST",
      body: new URLSearchParams({}),
      cookie,
    });
    assert.equal(rotated.status, 303);
    assert.equal((await r.request(path)).status, 410);
    const renewal = (await r.outbox()).at(-1)!;
    assert.deepEqual(renewal.to, ["taro@example.com"]);
    assert.equal(renewal.mail.headers.get("auto-submitted"), "auto-replied");
    const newPath = customerPath(renewal.mail.text ?? "");
    const newKey = accessKeyIn(renewal.mail.text ?? "");
    assert.notEqual(newKey, key);
    assert.equal((await r.request(newPath)).status, 200);
    const oldKey = await r.request("/status", {
      method: "POST",
      body: new URLSearchParams({ number: "1001", key }),
    });
    assert.equal(oldKey.status, 422);
    // Agents never see the secrets on the ticket.
    const after = await (await r.request("/tickets/1001", { cookie })).text();
    assert.ok(!after.includes(newKey) && !after.includes(newPath), "secrets shown to agents");
  } finally {
    await r.cleanup();
  }
});

Deno.test("status: the inquiry number and access key open the customer page; wrong keys lock the number", async () => {
  const t = await setupCustomerApp();
  try {
    const { key } = await inquireAndOpenMail(t);
    const form = await t.request("/status");
    assert.equal(form.status, 200);
    assert.doesNotMatch(await form.text(), /<script/i);
    const post = (number: string, k: string) =>
      t.request("/status", { method: "POST", body: new URLSearchParams({ number, key: k }) });

    // Typed loosely: lower case, spaces, full-width digits, "#".
    const loose = key.toLowerCase().replaceAll("-", " ");
    const ok = await post("＃１００１", loose);
    assert.equal(ok.status, 303);
    const location = ok.headers.get("location")!;
    assert.match(location, /^\/c\/[A-Za-z0-9_-]{43}$/);
    assert.equal((await t.request(location)).status, 200);

    const wrong = await post("1001", "AAAA-AAAA-AAAA-AAAA");
    assert.equal(wrong.status, 422);
    const html = await wrong.text();
    assert.match(html, /受付番号またはアクセスキーが正しくありません/);
    assert.match(html, /value="1001"/);
    assert.ok(!html.includes("AAAA-AAAA"), "the key is not echoed");
    assert.equal((await post("9999", key)).status, 422, "unknown number");
    for (let i = 1; i < STATUS_FAILURES_PER_NUMBER; i++) await post("1001", "bad");
    const locked = await post("1001", key);
    assert.equal(locked.status, 429);
    assert.match(await locked.text(), /試行回数が多すぎます/);
  } finally {
    await t.cleanup();
  }
});

Deno.test("status: keys and links are stored only as hashes", async () => {
  const t = await setupCustomerApp();
  try {
    const { path, key } = await inquireAndOpenMail(t);
    const token = path.slice(3);
    const access = await t.store.db.selectFrom("ticket_access").selectAll().execute();
    const links = await t.store.db.selectFrom("customer_links").selectAll().execute();
    const dump = JSON.stringify({ access, links });
    assert.ok(!dump.includes(token), "link token stored in clear");
    assert.ok(
      !dump.includes(key) && !dump.includes(key.replaceAll("-", "")),
      "key stored in clear",
    );
    assert.match(access[0].access_key_hash, /^[0-9a-f]{64}$/);
    const messages = await t.store.db.selectFrom("messages").select("text_body").execute();
    assert.ok(!JSON.stringify(messages).includes(token), "link shown on the ticket");
    assert.ok(!JSON.stringify(messages).includes(key), "key shown on the ticket");
  } finally {
    await t.cleanup();
  }
});

Deno.test("agent deep link: after login the agent lands on the ticket path, and only on local paths", async () => {
  const t = await setupCustomerApp();
  try {
    await inquireAndOpenMail(t);
    const notification = (await t.outbox()).find((m) => m.to.includes("agent@example.test"))!;
    assert.match(
      notification.mail.text ?? "",
      /http:\/\/localhost\/tickets\/1001\?focus=reply#reply/,
    );
    // The server keeps path and query through the login (a #fragment would not survive the form).
    const signedOut = await t.request("/tickets/1001?focus=reply");
    assert.equal(signedOut.status, 303);
    const login = signedOut.headers.get("location")!;
    assert.equal(login, "/login?next=%2Ftickets%2F1001%3Ffocus%3Dreply");
    const next = new URL(login, "http://localhost").searchParams.get("next")!;
    const signIn = (n: string) =>
      t.request("/login", {
        method: "POST",
        body: new URLSearchParams({
          email: "agent@example.test",
          password: "another long password",
          next: n,
        }),
      });
    assert.equal((await signIn(next)).headers.get("location"), "/tickets/1001?focus=reply");
    for (
      const evil of [
        "//evil.example/x",
        "https://evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
      ]
    ) {
      assert.equal((await signIn(evil)).headers.get("location"), "/", evil);
    }
  } finally {
    await t.cleanup();
  }
});

Deno.test("agent reply: the mail's footer links the customer's page, which then shows the reply", async () => {
  const t = await setupCustomerApp();
  try {
    await inquireAndOpenMail(t);
    const cookie = await t.login();
    await agentReply(t, cookie, "お待たせしました。");
    const reply = (await t.outbox()).at(-1)!;
    const text = reply.mail.text ?? "";
    assert.match(text, /お待たせしました。\n\n-- \nこのお問い合わせのやりとりの確認・返信はこちら/);
    const path = customerPath(text);
    const page = await (await t.request(path)).text();
    assert.match(page, /お待たせしました。/);
    const ticket = (await findTicketByNumber(t.store.db, 1001))!;
    const out = (await listMessages(t.store.db, ticket.id)).at(-1)!;
    assert.equal(out.text, "お待たせしました。", "the stored reply has no footer");
  } finally {
    await t.cleanup();
  }
});
