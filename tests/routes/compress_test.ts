/** Response compression through app.request(): pages, JSON and CSS are; downloads never. */
import assert from "node:assert/strict";
import { createApp } from "../../routes/mod.tsx";
import { createAgent, createApiToken } from "../runtime.ts";
import { createTicketForCustomer } from "../runtime.ts";
import { tempStore, testConfig } from "../helpers.ts";

const ORIGIN = "http://localhost";
const GZIP = { "accept-encoding": "gzip, deflate, br" };

async function setup() {
  const db = await tempStore();
  const app = createApp({ store: db.store, config: testConfig(db.dir), outbox: { wake() {} } });
  const agent = await createAgent(db.store, {
    email: "agent@example.test",
    name: "担当者",
    password: "correct horse battery",
    role: "agent",
  });
  const { id } = await createTicketForCustomer(db.store, {
    customer: { email: "taro@example.com", name: "Taro" },
    subject: "請求書",
    text: "本文",
    channel: "phone",
    supportAddress: "support@example.test",
    agentId: null,
  });
  const attachmentId = await db.store.writeTx(async (tx) => {
    const message = await tx.selectFrom("messages").select("id").where("ticket_id", "=", id)
      .executeTakeFirstOrThrow();
    const row = await tx.insertInto("attachments").values({
      message_id: message.id,
      filename: "notes.txt",
      content_type: "text/plain",
      content_id: null,
      disposition: "attachment",
      size: 3000,
      content: new TextEncoder().encode("あ".repeat(1000)),
    }).returning("id").executeTakeFirstOrThrow();
    return row.id;
  });
  const login = await app.request(`${ORIGIN}/login`, {
    method: "POST",
    headers: { origin: ORIGIN },
    body: new URLSearchParams({ email: "agent@example.test", password: "correct horse battery" }),
  });
  const cookie = login.headers.get("set-cookie")!.split(";")[0];
  const token = await createApiToken(db.store, agent.id, "test");
  const get = (path: string, headers: Record<string, string> = GZIP) =>
    app.request(`${ORIGIN}${path}`, {
      headers: {
        ...headers,
        ...(path.startsWith("/api/") ? { authorization: `Bearer ${token}` } : { cookie }),
      },
    });
  return { ...db, get, attachmentId };
}

async function gunzip(res: Response): Promise<string> {
  const stream = res.body!.pipeThrough(new DecompressionStream("gzip"));
  return await new Response(stream).text();
}

Deno.test("compress: pages, JSON and CSS are gzipped for a client that accepts it", async () => {
  const t = await setup();
  try {
    const page = await t.get("/?status=all");
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-type") ?? "", /text\/html/);
    assert.equal(page.headers.get("content-encoding"), "gzip");
    assert.match(page.headers.get("vary") ?? "", /accept-encoding/i);
    assert.match(await gunzip(page), /請求書/);

    // Under 1 KB a body goes as it is (still varying on Accept-Encoding for caches).
    const small = await t.get("/api/v1/tickets");
    assert.equal(small.status, 200);
    assert.equal(small.headers.get("content-encoding"), null);
    assert.match(small.headers.get("vary") ?? "", /accept-encoding/i);
    assert.equal((await small.json()).total, 1);
    for (let i = 0; i < 5; i++) {
      await createTicketForCustomer(t.store, {
        customer: { email: `c${i}@example.com`, name: `顧客${i}` },
        subject: `問い合わせ${i}`,
        text: "本文",
        channel: "phone",
        supportAddress: "support@example.test",
        agentId: null,
      });
    }
    const api = await t.get("/api/v1/tickets");
    assert.equal(api.status, 200);
    assert.match(api.headers.get("content-type") ?? "", /^application\/json/);
    assert.equal(api.headers.get("content-encoding"), "gzip");
    assert.equal(JSON.parse(await gunzip(api)).total, 6);

    const css = await t.get("/static/app.css");
    assert.equal(css.status, 200);
    assert.equal(css.headers.get("content-encoding"), "gzip");
    await css.body?.cancel();

    const plain = await t.get("/?status=all", {});
    assert.equal(plain.headers.get("content-encoding"), null, "no Accept-Encoding: as is");
    const refused = await t.get("/?status=all", { "accept-encoding": "gzip;q=0, br" });
    assert.equal(refused.headers.get("content-encoding"), null, "gzip;q=0 refuses it");
    await refused.body?.cancel();
    assert.match(await plain.text(), /請求書/);
  } finally {
    await t.cleanup();
  }
});

Deno.test("compress: attachment downloads go out byte for byte", async () => {
  const t = await setup();
  try {
    const res = await t.get(`/attachments/${t.attachmentId}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-disposition") ?? "", /^attachment/);
    assert.equal(res.headers.get("content-encoding"), null);
    assert.equal((await res.arrayBuffer()).byteLength, 3000);
    const api = await t.get(`/api/v1/attachments/${t.attachmentId}`);
    assert.equal(api.status, 200);
    assert.equal(api.headers.get("content-encoding"), null);
    assert.equal((await api.arrayBuffer()).byteLength, 3000);
  } finally {
    await t.cleanup();
  }
});

Deno.test("compress: pages of every size come back whole, one after another (the reused buffer)", async () => {
  const { Hono } = await import("hono");
  const { htmlResponse } = await import("../../routes/middleware/compress.ts");
  const app = new Hono();
  // ASCII, Japanese, a surrogate pair: past the first buffer (256 KiB), past the kept one (1 MiB).
  const page = (n: number) =>
    `<!DOCTYPE html><p>${"お問い合わせ 🍣 <b>&amp;</b> abc ".repeat(n)}</p>` + n;
  app.get("/:n", (c) => htmlResponse(c, page(Number(c.req.param("n"))), 200));
  for (const n of [40, 4_000, 20_000, 2_000, 100_000, 3]) {
    const res = await app.request(`/${n}`, { headers: GZIP });
    assert.equal(res.headers.get("content-encoding"), "gzip");
    assert.equal(await gunzip(res), page(n), `${n}`);
  }
});
