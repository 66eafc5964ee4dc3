/** Agent and visitor forms validated through schemas: messages beside fields, in the page's language. */
import assert from "node:assert/strict";
import { createApp } from "../../routes/mod.tsx";
import { createAgent } from "../runtime.ts";
import { tempStore, testConfig } from "../helpers.ts";

const ORIGIN = "http://localhost";

async function setup(options: { admin?: boolean } = {}) {
  const db = await tempStore();
  const app = createApp({
    store: db.store,
    config: testConfig(db.dir),
    outbox: { wake: () => {} },
  });
  if (options.admin !== false) {
    await createAgent(db.store, {
      email: "admin@example.test",
      name: "管理者",
      password: "correct horse battery",
      role: "admin",
    });
  }
  async function post(
    path: string,
    data: Record<string, string>,
    init: { cookie?: string; lang?: string } = {},
  ) {
    const headers = new Headers({ origin: ORIGIN });
    if (init.cookie) headers.set("cookie", init.cookie);
    if (init.lang) headers.set("accept-language", init.lang);
    return await app.request(`${ORIGIN}${path}`, {
      method: "POST",
      body: new URLSearchParams(data),
      headers,
    });
  }
  async function login(email = "admin@example.test") {
    const res = await post("/login", { email, password: "correct horse battery", next: "/" });
    assert.equal(res.status, 303);
    return res.headers.get("set-cookie")!.split(";")[0];
  }
  return { ...db, post, login };
}

Deno.test("forms: setup refuses a name with a line break and an over-long password, beside each field", async () => {
  const t = await setup({ admin: false });
  try {
    const res = await t.post("/setup", {
      name: "管理者\r\nBcc: x@example.org",
      email: "admin@example.test",
      password: "x".repeat(1001),
    });
    assert.equal(res.status, 422);
    const html = await res.text();
    assert.match(html, /改行や制御文字は使えません/);
    assert.match(html, /1000文字以内で入力してください/);
    assert.match(html, /value="admin@example.test"/);

    const en = await t.post("/setup", { name: " ", email: "", password: "" }, { lang: "en" });
    assert.equal(en.status, 422);
    const enHtml = await en.text();
    assert.match(enHtml, /Enter a name/);
    assert.match(enHtml, /This is not a valid e-mail address/);
    assert.match(enHtml, /Use at least 10 characters/);
  } finally {
    await t.cleanup();
  }
});

Deno.test("forms: sign-in takes the address in any case and with spaces around it", async () => {
  const t = await setup();
  try {
    await t.login("  Admin@Example.TEST ");
  } finally {
    await t.cleanup();
  }
});

Deno.test("forms: an API token needs a one-line name of at most 100 characters", async () => {
  const t = await setup();
  try {
    const cookie = await t.login();
    for (
      const [name, message] of [
        ["  ", /入力してください/],
        ["x".repeat(101), /100文字以内で入力してください/],
        ["ci\u0000bot", /改行や制御文字は使えません/],
      ] as const
    ) {
      const res = await t.post("/settings/tokens", { name }, { cookie });
      assert.equal(res.status, 422, JSON.stringify(name));
      const html = await res.text();
      assert.match(html, message);
      assert.match(html, /aria-invalid="true"/);
      assert.doesNotMatch(html, /id="new-token"/);
    }
    const ok = await t.post("/settings/tokens", { name: " ci " }, { cookie });
    assert.equal(ok.status, 200);
    const html = await ok.text();
    assert.match(html, /id="new-token"/);
    assert.match(html, /<li>ci · /);
  } finally {
    await t.cleanup();
  }
});

Deno.test("forms: the status check folds a full-width number and drops '#' before checking", async () => {
  const t = await setup();
  try {
    const res = await t.post("/status", { number: "＃１００１ ", key: "AAAA-BBBB-CCCC-DDDD" });
    assert.equal(res.status, 422);
    const html = await res.text();
    assert.match(html, /value="1001"/);
    assert.match(html, /受付番号またはアクセスキーが正しくありません/);
  } finally {
    await t.cleanup();
  }
});
