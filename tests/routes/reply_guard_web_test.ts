/** The stale-send guard on the ticket page: a held reply comes back with what is new. */
import assert from "node:assert/strict";
import { createApp } from "../../routes/mod.tsx";
import { createAgent } from "../../db/agents.ts";
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
