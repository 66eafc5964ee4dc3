/**
 * The FAQ portal as search engines and customers without JavaScript meet it, and the knowledge
 * API's shapes (issue 11): GET/POST/PATCH /api/v1/faq and /api/v1/templates, GET /api/v1/search.
 */
import assert from "node:assert/strict";
import { setupCustomerApp } from "./customer_helpers.ts";
import { findAgentForLogin } from "../../db/agents.ts";
import { createApiToken } from "../runtime.ts";

type App = Awaited<ReturnType<typeof setupCustomerApp>>;

async function withApp(fn: (app: App, token: string) => Promise<void>) {
  const app = await setupCustomerApp();
  try {
    const admin = (await findAgentForLogin(app.store.db, "admin@example.test"))!;
    await fn(app, await createApiToken(app.store, admin.id, "test"));
  } finally {
    await app.cleanup();
  }
}

async function api(
  app: App,
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

async function article(app: App, token: string, json: Record<string, unknown>) {
  const res = await api(app, token, "/faq", { method: "POST", json });
  assert.equal(res.status, 201);
  return (await res.json()).id as number;
}

const NOINDEX = /<meta name="robots" content="noindex"\/?>/;

Deno.test("faq portal: searching keeps the chosen category, and a category link keeps the query", async () => {
  await withApp(async (app, token) => {
    await article(app, token, {
      title: "配送料はいくらですか",
      body: "全国一律 500 円です。",
      category: "配送",
      status: "published",
    });
    await article(app, token, {
      title: "請求書の送料の内訳",
      body: "送料は請求書に記載しています。",
      category: "請求",
      status: "published",
    });
    const html = await (await app.request(`/faq?category=${encodeURIComponent("配送")}`)).text();
    assert.match(html, /<input type="hidden" name="category" value="配送"\/?>/);
    const both = await (await app.request(
      `/faq?q=${encodeURIComponent("送料")}&category=${encodeURIComponent("配送")}`,
    )).text();
    assert.match(both, /配送料はいくらですか/);
    assert.match(both, /「配送」の中の「送料」の検索結果: 1件/);
    assert.doesNotMatch(both, /請求書の送料の内訳/);
    // The category links keep the query; すべて drops only the category.
    assert.match(both, /href="\/faq\?q=%E9%80%81%E6%96%99&amp;category=%E8%AB%8B%E6%B1%82"/);
    assert.match(both, /href="\/faq\?q=%E9%80%81%E6%96%99"/);
    const all = await (await app.request(`/faq?q=${encodeURIComponent("送料")}`)).text();
    assert.doesNotMatch(all, /name="category"/);
    assert.match(all, /請求書の送料の内訳/);
  });
});

Deno.test("faq portal: published articles and the portal may be indexed; search results, drafts and the editor not", async () => {
  await withApp(async (app, token) => {
    const pub = await article(app, token, {
      title: "返品について",
      body: "30日以内",
      status: "published",
    });
    const draft = await article(app, token, { title: "下書き", body: "未公開" });
    const page = await app.request(`/faq/${pub}`);
    assert.doesNotMatch(await page.text(), NOINDEX);
    assert.doesNotMatch(await (await app.request("/faq")).text(), NOINDEX);
    assert.match(await (await app.request(`/faq?q=${encodeURIComponent("返品")}`)).text(), NOINDEX);
    assert.match(await (await app.request(`/faq/${pub}?voted=thanks`)).text(), NOINDEX);
    const missing = await app.request(`/faq/${draft}`);
    // A draft does not exist for the public (search engines drop a 404).
    assert.equal(missing.status, 404);
    assert.doesNotMatch(await missing.text(), /未公開/);
    // Other customer pages stay noindex.
    assert.match(await (await app.request("/inquiry/support")).text(), NOINDEX);
    const cookie = await app.login();
    const editor = await app.request(`/articles/${draft}`, { cookie });
    assert.equal(editor.status, 200);
    assert.equal(editor.headers.get("x-robots-tag"), "noindex");
  });
});

Deno.test("inquiry form: the 送信前に よくある質問 を確認 link is a plain GET that finds the article", async () => {
  await withApp(async (app, token) => {
    await article(app, token, {
      title: "パスワードを忘れました",
      body: "ログイン画面の「パスワードを忘れた方」から再設定できます。",
      status: "published",
    });
    const form = await (await app.request(
      `/inquiry/support?subject=${encodeURIComponent("パスワードを忘れた")}`,
    )).text();
    assert.doesNotMatch(form, /<script/i);
    const link = /<a href="([^"]+)"[^>]*>送信前に よくある質問 を確認<\/a>/.exec(form);
    assert.ok(link, "the link is an anchor");
    const href = link[1].replaceAll("&amp;", "&");
    assert.match(href, /^\/faq\?q=/);
    const results = await (await app.request(href)).text();
    assert.match(results, /パスワードを忘れました/);
  });
});

Deno.test("knowledge api: faq and template lists, creation and changes have the documented shapes", async () => {
  await withApp(async (app, token) => {
    const pub = await article(app, token, {
      title: "営業時間",
      body: "平日 9時〜18時",
      category: "一般",
      status: "published",
    });
    await article(app, token, { title: "営業日の下書き", body: "未定" });
    const all = (await (await api(app, token, `/faq?q=${encodeURIComponent("営業")}`)).json())
      .articles;
    assert.equal(all.length, 2);
    const published = (await (await api(app, token, "/faq?status=published")).json()).articles;
    assert.deepEqual(published.map((a: { id: number }) => a.id), [pub]);
    assert.deepEqual(Object.keys(published[0]).sort(), [
      "body",
      "category",
      "created_at",
      "helpful_no",
      "helpful_yes",
      "id",
      "published_at",
      "status",
      "title",
      "updated_at",
      "views",
    ]);
    const changed = await api(app, token, `/faq/${pub}`, {
      method: "PATCH",
      json: { status: "draft" },
    });
    assert.equal((await changed.json()).status, "draft");
    assert.equal((await api(app, token, "/faq?status=bogus")).status, 422);

    const created = await api(app, token, "/templates", {
      method: "POST",
      json: {
        title: "お礼",
        body: "{{customer.name}} 様、ありがとうございます。",
        scope: "shared",
      },
    });
    assert.equal(created.status, 201);
    const tpl = await created.json();
    assert.equal(created.headers.get("location"), `/api/v1/templates/${tpl.id}`);
    const patched = await (await api(app, token, `/templates/${tpl.id}`, {
      method: "PATCH",
      json: { category: "挨拶" },
    })).json();
    assert.equal(patched.category, "挨拶");
    const list = (await (await api(app, token, "/templates")).json()).templates;
    assert.deepEqual(list.map((t: { id: number }) => t.id), [tpl.id]);
    assert.equal(list[0].usage_count, 0);

    await app.inquire();
    const search = await (await api(app, token, `/search?q=${encodeURIComponent("テスト")}`))
      .json();
    assert.deepEqual(Object.keys(search).sort(), [
      "has_next",
      "page",
      "results",
      "total",
      "total_exact",
      "total_limit",
    ]);
    const suggestions = await api(app, token, "/tickets/1001/suggestions");
    assert.equal(suggestions.status, 200);
    assert.ok(Array.isArray(await suggestions.json()));
  });
});
