/** /admin/imap: the IMAP pull's settings form, the password never echoed, 接続テスト. */
import assert from "node:assert/strict";
import type { ImapTarget } from "../../domain/imap_target.ts";
import { enabledImapTarget } from "../../services/imap_settings.ts";
import { appFixture } from "./app_fixture.ts";

async function setup(env: Record<string, string> = {}) {
  const applied: number[] = [];
  const tested: ImapTarget[] = [];
  const imap = {
    apply: () => (applied.push(1), Promise.resolve()),
    test: (target: ImapTarget) => {
      tested.push(target);
      return Promise.resolve(
        target.pass === "secret"
          ? { ok: true as const, uidValidity: "7" }
          : { ok: false as const, error: "Invalid credentials (Failure)" },
      );
    },
    current: () => null,
  };
  return { ...await appFixture({ env, deps: { imap } }), applied, tested };
}

const FORM = {
  host: "imap.example.co.jp",
  port: "993",
  tls: "1",
  username: "support@example.co.jp",
  password: "secret",
  folder: "INBOX",
  enabled: "1",
};

Deno.test("admin imap: admins save the mailbox; the password is sealed, never echoed, kept when left empty; the pull restarts", async () => {
  const t = await setup();
  try {
    const agentCookie = await t.login("aki@example.test");
    assert.equal((await t.request("/admin/imap", { cookie: agentCookie })).status, 404);
    const cookie = await t.login("admin@example.test");
    const empty = await (await t.request("/admin/imap", { cookie })).text();
    assert.match(empty, /接続テスト/);
    assert.match(empty, /現在、IMAP 受信は行っていません/);

    const saved = await t.request("/admin/imap", {
      method: "POST",
      cookie,
      body: new URLSearchParams(FORM),
    });
    assert.equal(saved.status, 303);
    assert.equal(t.applied.length, 1, "the pull was told to restart");
    const page = await (await t.request("/admin/imap?saved=1", { cookie })).text();
    assert.match(page, /保存しました/);
    assert.match(page, /value="imap\.example\.co\.jp"/);
    assert.doesNotMatch(page, /secret/, "the password is not in the page");
    assert.match(page, /保存済み/);

    // Saved again with an empty password field: the saved one stays.
    await t.request("/admin/imap", {
      method: "POST",
      cookie,
      body: new URLSearchParams({ ...FORM, password: "", folder: "Support" }),
    });
    assert.equal((await enabledImapTarget(t.store.db))!.pass, "secret");
    assert.equal((await enabledImapTarget(t.store.db))!.mailbox, "Support");

    // A bad port: 422, the form kept (without the password), the field marked.
    const bad = await t.request("/admin/imap", {
      method: "POST",
      cookie,
      body: new URLSearchParams({ ...FORM, port: "99999", password: "typed-now" }),
    });
    assert.equal(bad.status, 422);
    const badPage = await bad.text();
    assert.match(badPage, /正しくありません/);
    assert.doesNotMatch(badPage, /typed-now/);
  } finally {
    await t.cleanup();
  }
});

Deno.test("admin imap: 接続テスト tries the form as typed (the saved password when empty) and says how it went", async () => {
  const t = await setup({ MADOGUCHI_IMAP_URL: "imaps://x:y@mail.example.net/INBOX" });
  try {
    const cookie = await t.login("admin@example.test");
    assert.match(
      await (await t.request("/admin/imap", { cookie })).text(),
      /MADOGUCHI_IMAP_URL が設定されているため/,
    );
    const fail = await (await t.request("/admin/imap/test", {
      method: "POST",
      cookie,
      body: new URLSearchParams({ ...FORM, password: "wrong" }),
    })).text();
    assert.match(fail, /接続できませんでした/);
    assert.match(fail, /Invalid credentials/);
    assert.doesNotMatch(fail, /wrong/);
    await t.request("/admin/imap", { method: "POST", cookie, body: new URLSearchParams(FORM) });
    const ok = await (await t.request("/admin/imap/test", {
      method: "POST",
      cookie,
      body: new URLSearchParams({ ...FORM, password: "" }),
    })).text();
    assert.match(ok, /接続できました/);
    assert.equal(t.tested.at(-1)!.pass, "secret", "the saved password was used");
  } finally {
    await t.cleanup();
  }
});
