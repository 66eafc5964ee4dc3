/** /admin/spam and the ticket's spam buttons through app.request(). */
import assert from "node:assert/strict";
import { ingestMessage } from "../runtime.ts";
import { findTicketByNumber } from "../../db/tickets.ts";
import { listSpamRules } from "../../db/spam_rules.ts";
import { rawMail } from "../helpers.ts";
import { setupCustomerApp } from "./customer_helpers.ts";

type App = Awaited<ReturnType<typeof setupCustomerApp>>;

function post(t: App, path: string, cookie: string, data: Record<string, string>) {
  return t.request(path, { method: "POST", body: new URLSearchParams(data), cookie });
}

async function mail(t: App, from: string, subject: string) {
  await ingestMessage(
    t.store,
    new TextEncoder().encode(
      rawMail({ From: from, To: "support@example.test", Subject: subject }, "本文"),
    ),
    { mailFrom: from, rcptTo: ["support@example.test"], remoteAddress: null },
  );
}

Deno.test("spam rules: 404 for agents who are not admins", async () => {
  const t = await setupCustomerApp();
  try {
    const agent = await t.login("agent@example.test", "another long password");
    assert.equal((await t.request("/admin/spam", { cookie: agent })).status, 404);
    assert.equal(
      (await post(t, "/admin/spam", agent, { kind: "deny", pattern: "x.jp" })).status,
      404,
    );
  } finally {
    await t.cleanup();
  }
});

Deno.test("spam rules: an admin denies a domain; its mail lands in 迷惑メール; 迷惑メールではない brings it back", async () => {
  const t = await setupCustomerApp();
  try {
    const cookie = await t.login();
    const bad = await post(t, "/admin/spam", cookie, { kind: "deny", pattern: "not a domain" });
    assert.equal(bad.status, 422);
    assert.match(await bad.text(), /value="not a domain"/);
    const ok = await post(t, "/admin/spam", cookie, { kind: "deny", pattern: "@Spam.Example" });
    assert.equal(ok.status, 303);
    const page = await (await t.request("/admin/spam", { cookie })).text();
    assert.match(page, /<code>spam\.example<\/code>/);

    await mail(t, "x@mx.spam.example", "儲け話");
    const ticket = (await findTicketByNumber(t.store.db, 1001))!;
    assert.equal(ticket.status, "spam");
    const inbox = await (await t.request("/?status=spam", { cookie })).text();
    assert.match(inbox, /儲け話/);
    assert.doesNotMatch(await (await t.request("/?status=new", { cookie })).text(), /儲け話/);
    assert.doesNotMatch(await (await t.request("/?status=all", { cookie })).text(), /儲け話/);

    const view = await (await t.request("/tickets/1001", { cookie })).text();
    assert.match(view, /迷惑メールではない/);
    const back = await post(t, "/tickets/1001/not-spam", cookie, {});
    assert.equal(back.status, 303);
    assert.equal((await findTicketByNumber(t.store.db, 1001))!.status, "new");
    const rules = (await listSpamRules(t.store.db)).map((r) => `${r.kind}:${r.pattern}`);
    assert.deepEqual(rules, ["deny:spam.example", "allow:x@mx.spam.example"]);
    // The allowed sender's next mail is filed normally.
    await mail(t, "x@mx.spam.example", "続き");
    assert.equal((await findTicketByNumber(t.store.db, 1002))!.status, "new");
  } finally {
    await t.cleanup();
  }
});

Deno.test("spam rules: a held reply shows where it belongs; 迷惑メールではない takes the agent to that thread", async () => {
  const t = await setupCustomerApp();
  try {
    const cookie = await t.login();
    const first = rawMail({
      From: "taro@example.net",
      To: "support@example.test",
      Subject: "ご注文について",
      "Message-ID": "<first@example.net>",
    }, "本文");
    await ingestMessage(t.store, new TextEncoder().encode(first), {
      mailFrom: "taro@example.net",
      rcptTo: ["support@example.test"],
      remoteAddress: null,
    });
    await post(t, "/admin/spam", cookie, { kind: "deny", pattern: "mallory@example.org" });
    const reply = rawMail({
      From: "mallory@example.org",
      To: "support@example.test",
      Subject: "Re: ご注文について",
      "Message-ID": "<m-1@x>",
      "In-Reply-To": "<first@example.net>",
    }, "口座が変わりました");
    await ingestMessage(t.store, new TextEncoder().encode(reply), {
      mailFrom: "mallory@example.org",
      rcptTo: ["support@example.test"],
      remoteAddress: null,
    });
    const held = await (await t.request("/tickets/1002", { cookie })).text();
    assert.match(held, /返信として届きました/);
    assert.match(held, /href="\/tickets\/1001">#1001</);
    const original = await (await t.request("/tickets/1001", { cookie })).text();
    assert.match(original, /迷惑メールとして保留されています/);
    assert.match(original, /href="\/tickets\/1002">#1002</);

    const moved = await post(t, "/tickets/1002/not-spam", cookie, {});
    assert.equal(moved.status, 303);
    assert.equal(moved.headers.get("location"), "/tickets/1001");
    const thread = await (await t.request("/tickets/1001", { cookie })).text();
    assert.match(thread, /口座が変わりました/);
    assert.doesNotMatch(thread, /保留されています/);
    assert.match(
      await (await t.request("/tickets/1002", { cookie })).text(),
      /スレッドに移しました/,
    );
  } finally {
    await t.cleanup();
  }
});
