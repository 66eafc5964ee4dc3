/** The stale-send guard on the ticket page: a held reply comes back with what is new. */
import assert from "node:assert/strict";
import { createApp } from "../../routes/mod.tsx";
import { createAgent } from "../runtime.ts";
import { listMessages } from "../../db/messages.ts";
import { findTicketByNumber } from "../../db/tickets.ts";
import { ingestMessage } from "../runtime.ts";
import { rawMail, tempStore, testConfig } from "../helpers.ts";

const ORIGIN = "http://localhost";

async function setup() {
  const db = await tempStore();
  const app = createApp({ store: db.store, config: testConfig(db.dir), outbox: { wake() {} } });
  for (const [email, name] of [["sato@example.test", "佐藤"], ["suzuki@example.test", "鈴木"]]) {
    await createAgent(db.store, { email, name, password: "correct horse battery", role: "agent" });
  }
  async function request(path: string, init: RequestInit & { cookie?: string } = {}) {
    const headers = new Headers(init.headers);
    if (init.cookie) headers.set("cookie", init.cookie);
    if (init.method === "POST") headers.set("origin", ORIGIN);
    return await app.request(`${ORIGIN}${path}`, { ...init, headers });
  }
  async function login(email: string) {
    const res = await request("/login", {
      method: "POST",
      body: new URLSearchParams({ email, password: "correct horse battery", next: "/" }),
    });
    return res.headers.get("set-cookie")!.split(";")[0];
  }
  async function mail(id: string, body: string) {
    const headers: Record<string, string> = {
      From: "山田太郎 <taro@example.com>",
      To: "support@example.test",
      Subject: "請求書の再発行",
      "Message-ID": `<${id}@example.com>`,
    };
    if (id !== "first") headers["In-Reply-To"] = "<first@example.com>";
    await ingestMessage(db.store, new TextEncoder().encode(rawMail(headers, body)), {
      mailFrom: null,
      rcptTo: ["support@example.test"],
      remoteAddress: null,
    });
  }
  return { ...db, request, login, mail };
}

function versionIn(html: string): string {
  return /name="version" value="(\d+)"/.exec(html)![1];
}

Deno.test("ticket page: a reply begun before a colleague's is held with theirs shown, then sent anyway", async () => {
  const t = await setup();
  try {
    await t.mail("first", "再発行をお願いします");
    const sato = await t.login("sato@example.test");
    const suzuki = await t.login("suzuki@example.test");
    const version = versionIn(await (await t.request("/tickets/1001", { cookie: sato })).text());
    const first = await t.request("/tickets/1001/reply", {
      method: "POST",
      cookie: suzuki,
      body: new URLSearchParams({ text: "鈴木です。再発行しました。", status: "pending", version }),
    });
    assert.equal(first.status, 303);

    const held = await t.request("/tickets/1001/reply", {
      method: "POST",
      cookie: sato,
      body: new URLSearchParams({ text: "佐藤です。確認します。", status: "open", version }),
    });
    assert.equal(held.status, 409);
    const page = await held.text();
    assert.match(page, /送信を保留しました/);
    assert.match(page, /新着/);
    assert.match(page, /鈴木です。再発行しました。/);
    assert.match(page, /佐藤です。確認します。<\/textarea>/);
    assert.match(page, /このまま送信/);
    const ticket = (await findTicketByNumber(t.store.db, 1001))!;
    assert.equal(versionIn(page), String(ticket.version));
    assert.equal((await listMessages(t.store.db, ticket.id)).length, 2);

    const anyway = await t.request("/tickets/1001/reply", {
      method: "POST",
      cookie: sato,
      body: new URLSearchParams({
        text: "佐藤です。確認します。",
        status: "open",
        version: versionIn(page),
      }),
    });
    assert.equal(anyway.status, 303);
    assert.equal((await listMessages(t.store.db, ticket.id)).length, 3);
  } finally {
    await t.cleanup();
  }
});

Deno.test("ticket page: a customer message that arrives while writing holds the reply", async () => {
  const t = await setup();
  try {
    await t.mail("first", "再発行をお願いします");
    const sato = await t.login("sato@example.test");
    const version = versionIn(await (await t.request("/tickets/1001", { cookie: sato })).text());
    await t.mail("second", "やはり不要になりました");
    const held = await t.request("/tickets/1001/reply", {
      method: "POST",
      cookie: sato,
      body: new URLSearchParams({ text: "再発行しました", status: "pending", version }),
    });
    assert.equal(held.status, 409);
    assert.match(await held.text(), /やはり不要になりました/);
  } finally {
    await t.cleanup();
  }
});

Deno.test("ticket page: a draft saved on the server comes back after a reload and shows to colleagues", async () => {
  const t = await setup();
  try {
    await t.mail("first", "再発行をお願いします");
    const sato = await t.login("sato@example.test");
    const suzuki = await t.login("suzuki@example.test");
    const version = versionIn(await (await t.request("/tickets/1001", { cookie: sato })).text());
    const saved = await t.request("/tickets/1001/draft", {
      method: "POST",
      cookie: sato,
      headers: { accept: "application/json" },
      body: new URLSearchParams({ text: "下書きの途中です", version }),
    });
    assert.equal(saved.status, 200);
    assert.deepEqual(await saved.json(), { saved: true, holder: null });

    const reload = await (await t.request("/tickets/1001", { cookie: sato })).text();
    assert.match(reload, /下書きの途中です<\/textarea>/);
    const colleague = await (await t.request("/tickets/1001", { cookie: suzuki })).text();
    assert.match(colleague, /佐藤さんが返信を作成中です/);
    assert.doesNotMatch(colleague, /下書きの途中です/);

    // A customer message after the draft was begun: the restored draft keeps its version, so
    // sending it is held.
    await t.mail("second", "やはり不要になりました");
    const page = await (await t.request("/tickets/1001", { cookie: sato })).text();
    assert.equal(versionIn(page), version);
    const held = await t.request("/tickets/1001/reply", {
      method: "POST",
      cookie: sato,
      body: new URLSearchParams({ text: "下書きの途中です", status: "open", version }),
    });
    assert.equal(held.status, 409);
  } finally {
    await t.cleanup();
  }
});

Deno.test("ticket page: sending while a colleague writes is held with their name; sending again takes over and tells them", async () => {
  const t = await setup();
  try {
    await t.mail("first", "再発行をお願いします");
    const sato = await t.login("sato@example.test");
    const suzuki = await t.login("suzuki@example.test");
    const version = versionIn(await (await t.request("/tickets/1001", { cookie: sato })).text());
    await t.request("/tickets/1001/draft", {
      method: "POST",
      cookie: sato,
      body: new URLSearchParams({ text: "佐藤が書いています", version }),
    });
    const locked = await t.request("/tickets/1001/reply", {
      method: "POST",
      cookie: suzuki,
      body: new URLSearchParams({ text: "鈴木です", status: "open", version }),
    });
    assert.equal(locked.status, 409);
    const page = await locked.text();
    assert.match(page, /佐藤さんが返信を作成中です/);
    assert.match(page, /引き継いで送信/);
    assert.match(page, /name="take_over" value="1"/);

    const taken = await t.request("/tickets/1001/reply", {
      method: "POST",
      cookie: suzuki,
      body: new URLSearchParams({ text: "鈴木です", status: "open", version, take_over: "1" }),
    });
    assert.equal(taken.status, 303);
    const events = await t.store.db.selectFrom("events").select(["kind", "data_json"])
      .where("kind", "=", "reply.taken_over").execute();
    assert.equal(events.length, 1);
    assert.match(events[0].data_json, /佐藤/);
    const notices = await (await t.request("/notifications", { cookie: sato })).text();
    assert.match(notices, /#1001 の返信を 鈴木さんが引き継ぎました/);
  } finally {
    await t.cleanup();
  }
});
