/** The search page and GET /api/v1/search through app.request(). */
import assert from "node:assert/strict";
import { createApp } from "../../routes/mod.tsx";
import { createAgent, createApiToken } from "../runtime.ts";
import { createTicketForCustomer } from "../runtime.ts";
import { tempStore, testConfig } from "../helpers.ts";
import type { Store } from "../../db/client.ts";

const ORIGIN = "http://localhost";
const T0 = Date.UTC(2026, 6, 7, 1, 0, 0);

async function withApp(
  fn: (s: {
    page: (path: string) => Promise<Response>;
    api: (path: string) => Promise<Response>;
    store: Store;
  }) => Promise<void>,
) {
  const db = await tempStore();
  try {
    const app = createApp({
      store: db.store,
      config: testConfig(db.dir),
      outbox: { wake() {} },
      now: () => T0,
    });
    const admin = await createAgent(db.store, {
      email: "admin@example.test",
      name: "Admin",
      password: "correct horse battery",
      role: "admin",
    });
    const bodies = [
      ["配送の件", "ペンギン急便の配達時間を教えてください"],
      ["Broken link", "The <script>alert('x')</script> page is broken"],
    ];
    for (const [i, [subject, text]] of bodies.entries()) {
      await createTicketForCustomer(db.store, {
        customer: { email: `c${i}@example.com`, name: `Customer ${i}` },
        subject,
        text,
        channel: "phone",
        agentId: null,
        now: T0 + i * 60_000,
      });
    }
    const login = await app.request(`${ORIGIN}/login`, {
      method: "POST",
      headers: { origin: ORIGIN },
      body: new URLSearchParams({
        email: "admin@example.test",
        password: "correct horse battery",
        next: "/",
      }),
    });
    assert.equal(login.status, 303);
    const cookie = login.headers.get("set-cookie")!.split(";")[0];
    const token = await createApiToken(db.store, admin.id, "test");
    await fn({
      store: db.store,
      page: (path) => Promise.resolve(app.request(`${ORIGIN}${path}`, { headers: { cookie } })),
      api: (path) =>
        Promise.resolve(
          app.request(`${ORIGIN}/api/v1${path}`, {
            headers: { authorization: `Bearer ${token}` },
          }),
        ),
    });
  } finally {
    await db.cleanup();
  }
}

Deno.test("search page: a body word finds its ticket with a marked snippet", async () => {
  await withApp(async ({ page }) => {
    const res = await page(`/search?q=${encodeURIComponent("配達")}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type")!, /text\/html/);
    const html = await res.text();
    assert.match(html, /data-ticket="1001"/);
    assert.match(html, /ペンギン急便の<mark>配達<\/mark>時間/);
    assert.doesNotMatch(html, /data-ticket="1002"/);
  });
});

Deno.test("search page: no hits says so, with the query", async () => {
  await withApp(async ({ page }) => {
    const html = await (await page(`/search?q=${encodeURIComponent("宅配便")}`)).text();
    assert.match(html, /「宅配便」に一致するメッセージはありません/);
  });
});

Deno.test("search page: a body with a script tag comes out escaped", async () => {
  await withApp(async ({ page }) => {
    const html = await (await page("/search?q=alert")).text();
    assert.doesNotMatch(html, /<script>alert/);
    assert.match(html, /&#60;script&#62;<mark>alert<\/mark>/);
  });
});

Deno.test("search page: the inbox search box leads here", async () => {
  await withApp(async ({ page }) => {
    const html = await (await page("/")).text();
    assert.match(html, /<form method="get" action="\/search"/);
  });
});

Deno.test("search api: results with ticket, message id and snippet, and the total", async () => {
  await withApp(async ({ api }) => {
    const res = await api(`/search?q=${encodeURIComponent("ペンギン急便")}&status=new`);
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.total, 1);
    assert.deepEqual(body.results[0].ticket, { number: 1001, subject: "配送の件", status: "new" });
    assert.equal(typeof body.results[0].message_id, "number");
    assert.match(body.results[0].snippet, /<mark>ペンギン急便<\/mark>/);
    const filtered = await (await api("/search?q=broken&status=resolved")).json();
    assert.equal(filtered.total, 0);
    const dated = await (await api("/search?q=broken&from=2026-07-08")).json();
    assert.equal(dated.total, 0);
    const inRange = await (await api("/search?q=broken&from=2026-07-07&to=2026-07-07")).json();
    assert.equal(inRange.total, 1);
  });
});

Deno.test("search api: a missing query or a bad filter is a 422", async () => {
  await withApp(async ({ api }) => {
    assert.equal((await api("/search")).status, 422);
    assert.equal((await api("/search?q=-x")).status, 422);
    assert.equal((await api("/search?q=x&status=bogus")).status, 422);
    assert.equal((await api("/search?q=x&from=yesterday")).status, 422);
  });
});

Deno.test("search page and api: one result per ticket, the total counts tickets", async () => {
  await withApp(async ({ page, api, store }) => {
    await store.writeTx(async (tx) => {
      const t = await tx.selectFrom("tickets").select("id").where("number", "=", 1001)
        .executeTakeFirstOrThrow();
      for (const [k, text] of ["配達は明日です", "配達時間を変更しました"].entries()) {
        await tx.insertInto("messages").values({
          ticket_id: t.id,
          direction: "out",
          message_id: `<r${k}@example.test>`,
          from_address: "support@example.test",
          from_name: "",
          to_json: "[]",
          subject: "",
          text_body: text,
          html_body: null,
          agent_id: null,
          created_at: T0 + (k + 5) * 60_000,
        } as never).execute();
      }
    });
    const html = await (await page(`/search?q=${encodeURIComponent("配達")}`)).text();
    assert.equal(html.match(/data-ticket="1001"/g)?.length, 1);
    assert.match(html, /<mark>配達<\/mark>時間を変更しました/);
    assert.match(html, /「配達」: 1 件のチケット/);
    const body = await (await api(`/search?q=${encodeURIComponent("配達")}`)).json();
    assert.equal(body.total, 1);
    assert.equal(body.total_exact, true);
    assert.equal(body.results.length, 1);
    assert.equal(body.results[0].ticket.number, 1001);
  });
});
