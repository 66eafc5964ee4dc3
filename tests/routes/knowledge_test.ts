/** Templates, suggestions and the FAQ over HTTP: pages, the public portal, the API. */
import assert from "node:assert/strict";
import { setupCustomerApp } from "./customer_helpers.ts";
import { findAgentForLogin } from "../../db/agents.ts";
import { createApiToken } from "../runtime.ts";
import { findArticle } from "../../db/faq.ts";

async function withApp(fn: (app: Awaited<ReturnType<typeof setupCustomerApp>>) => Promise<void>) {
  const app = await setupCustomerApp();
  try {
    await fn(app);
  } finally {
    await app.cleanup();
  }
}

async function api(
  app: Awaited<ReturnType<typeof setupCustomerApp>>,
  token: string,
  path: string,
  init: { method?: string; json?: unknown } = {},
) {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (init.json !== undefined) headers["content-type"] = "application/json";
  return await app.request(`/api/v1${path}`, {
    method: init.method ?? "GET",
    headers,
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
  });
}

async function adminToken(app: Awaited<ReturnType<typeof setupCustomerApp>>) {
  const admin = (await findAgentForLogin(app.store.db, "admin@example.test"))!;
  return await createApiToken(app.store, admin.id, "test");
}

Deno.test("faq: drafts stay private, published articles are found by any Japanese substring", async () => {
  await withApp(async (app) => {
    const token = await adminToken(app);
    const draft = await api(app, token, "/faq", {
      method: "POST",
      json: { title: "下書きの記事", body: "まだ公開しない" },
    });
    assert.equal(draft.status, 201);
    const draftId = (await draft.json()).id;
    const pub = await api(app, token, "/faq", {
      method: "POST",
      json: {
        title: "配達時間の指定はできますか",
        body: "ご注文時に配達時間帯をお選びいただけます。",
        category: "配送",
        status: "published",
      },
    });
    const pubId = (await pub.json()).id;

    assert.equal((await app.request(`/faq/${draftId}`)).status, 404);
    const page = await app.request(`/faq/${pubId}`);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /配達時間の指定はできますか/);
    assert.doesNotMatch(html, /<script/i, "customer pages carry no JavaScript");

    for (const q of ["時間", "達時", "ﾊｲﾀﾂ", "配達時間帯"]) {
      const list = await (await app.request(`/faq?q=${encodeURIComponent(q)}`)).text();
      if (q === "ﾊｲﾀﾂ") {
        assert.match(list, /に一致する質問は見つかりませんでした/);
      } else {
        assert.match(list, new RegExp(`href="/faq/${pubId}"`), q);
      }
      assert.doesNotMatch(list, /下書きの記事/);
    }
    const byCategory = await (await app.request(`/faq?category=${encodeURIComponent("配送")}`))
      .text();
    assert.match(byCategory, /配達時間の指定/);
    assert.equal((await findArticle(app.store.db, pubId))?.views, 1);

    // Publishing the draft makes it public.
    await api(app, token, `/faq/${draftId}`, { method: "PATCH", json: { status: "published" } });
    assert.equal((await app.request(`/faq/${draftId}`)).status, 200);
  });
});

Deno.test("faq: 役に立ちましたか? counts once per visitor, refuses cross-site posts", async () => {
  await withApp(async (app) => {
    const token = await adminToken(app);
    const res = await api(app, token, "/faq", {
      method: "POST",
      json: { title: "返品", body: "30日以内", status: "published" },
    });
    const id = (await res.json()).id;
    const vote = (helpful: string, origin?: string) =>
      app.request(`/faq/${id}/helpful`, {
        method: "POST",
        body: new URLSearchParams({ helpful }),
        headers: origin ? { origin } : {},
      });
    const first = await vote("yes");
    assert.equal(first.status, 303);
    assert.equal(first.headers.get("location"), `/faq/${id}?voted=thanks`);
    await vote("yes");
    const foreign = await vote("no", "https://evil.example");
    assert.equal(foreign.status, 403);
    const a = (await findArticle(app.store.db, id))!;
    assert.equal(a.helpfulYes, 1);
    assert.equal(a.helpfulNo, 0);
    const thanks = await (await app.request(`/faq/${id}?voted=thanks`)).text();
    assert.match(thanks, /ご回答ありがとうございました/);

    // Agents see views and helpfulness.
    const cookie = await app.login();
    const list = await (await app.request("/articles", { cookie })).text();
    assert.match(list, /1 \/ 0/);
  });
});

Deno.test("faq: article text is escaped on the public page", async () => {
  await withApp(async (app) => {
    const token = await adminToken(app);
    const res = await api(app, token, "/faq", {
      method: "POST",
      json: {
        title: "<script>alert(1)</script>",
        body: "<img src=x onerror=alert(1)>",
        status: "published",
      },
    });
    const html = await (await app.request(`/faq/${(await res.json()).id}`)).text();
    assert.doesNotMatch(html, /<script>alert/);
    assert.doesNotMatch(html, /<img src=x/);
    assert.match(html, /<h1>&lt;script>alert\(1\)&lt;\/script><\/h1>/);
  });
});

Deno.test("inquiry form: the FAQ check link carries the subject and lists close articles", async () => {
  await withApp(async (app) => {
    const token = await adminToken(app);
    await api(app, token, "/faq", {
      method: "POST",
      json: {
        title: "請求書の再発行方法",
        body: "マイページから再発行できます。",
        status: "published",
      },
    });
    const plain = await (await app.request("/inquiry/support")).text();
    assert.match(plain, /送信前に よくある質問 を確認/);
    assert.match(plain, /href="\/faq"/);
    const withSubject = await (await app.request(
      `/inquiry/support?subject=${encodeURIComponent("請求書を再発行してほしい")}`,
    )).text();
    assert.match(withSubject, /href="\/faq\?q=%E8%AB%8B/);
    assert.match(withSubject, /請求書の再発行方法/);
    assert.doesNotMatch(withSubject, /<script/i);
  });
});

Deno.test("ticket page: a template is filled in without JavaScript; unfilled variables block sending", async () => {
  await withApp(async (app) => {
    const res = await app.inquire();
    assert.equal(res.status, 303);
    const token = await adminToken(app);
    const created = await api(app, token, "/templates", {
      method: "POST",
      json: {
        title: "請求書の再発行",
        body: "{{customer.name}} 様\n#{{ticket.number}} 承知しました。{{agent.name}}",
        scope: "shared",
        category: "請求",
      },
    });
    assert.equal(created.status, 201);
    const tpl = await created.json();
    const cookie = await app.login();
    const page = await (await app.request(`/tickets/1001?template=${tpl.id}`, { cookie })).text();
    assert.match(page, /山田 太郎 様\n#1001 承知しました。管理者/);
    assert.match(page, new RegExp(`name="template_id" value="${tpl.id}"`));
    assert.match(page, /おすすめの定型文/);

    const blocked = await app.request("/tickets/1001/reply", {
      method: "POST",
      cookie,
      body: new URLSearchParams({ text: "{{order.id}} を確認", status: "pending" }),
    });
    assert.equal(blocked.status, 422);
    assert.match(await blocked.text(), /変数 \{\{order\.id\}\} が埋まっていません/);

    const sent = await app.request("/tickets/1001/reply", {
      method: "POST",
      cookie,
      body: new URLSearchParams({
        text: "山田 太郎 様 承知しました。",
        status: "pending",
        template_id: String(tpl.id),
      }),
    });
    assert.equal(sent.status, 303);
    const after = await (await api(app, token, `/templates/${tpl.id}`)).json();
    assert.equal(after.usage_count, 1);

    const suggestions = await (await api(app, token, "/tickets/1001/suggestions")).json();
    assert.equal(suggestions[0].template_id, tpl.id);
    assert.ok(Array.isArray(suggestions[0].terms));
  });
});

Deno.test("templates API: personal templates are invisible to other agents", async () => {
  await withApp(async (app) => {
    const adminTok = await adminToken(app);
    const agent = (await findAgentForLogin(app.store.db, "agent@example.test"))!;
    const agentTok = await createApiToken(app.store, agent.id, "t");
    const mine = await (await api(app, agentTok, "/templates", {
      method: "POST",
      json: { title: "私の定型文", body: "本文" },
    })).json();
    assert.equal(mine.scope, "personal");
    assert.equal((await api(app, adminTok, `/templates/${mine.id}`)).status, 404);
    assert.equal(
      (await api(app, adminTok, `/templates/${mine.id}`, { method: "PATCH", json: { title: "x" } }))
        .status,
      404,
    );
    assert.deepEqual((await (await api(app, adminTok, "/templates")).json()).templates, []);
    const bad = await api(app, agentTok, "/templates", {
      method: "POST",
      json: { title: "x", body: "{{nope}}" },
    });
    assert.equal(bad.status, 422);
  });
});
