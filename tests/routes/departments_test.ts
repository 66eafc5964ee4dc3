/** Admin: departments and their inquiry settings through app.request(). */
import assert from "node:assert/strict";
import { findDepartmentBySlug, findDepartmentSettings } from "../../db/departments.ts";
import { setupCustomerApp } from "./customer_helpers.ts";

Deno.test("departments: the admin page is 404 for agents who are not admins", async () => {
  const t = await setupCustomerApp();
  try {
    const agent = await t.login("agent@example.test", "another long password");
    assert.equal((await t.request("/admin/departments", { cookie: agent })).status, 404);
    assert.equal((await t.request("/admin/departments/1", { cookie: agent })).status, 404);
    const post = await t.request("/admin/departments", {
      method: "POST",
      body: new URLSearchParams({ name: "x", slug: "x" }),
      cookie: agent,
    });
    assert.equal(post.status, 404);
    assert.equal((await t.request("/admin/departments")).status, 303, "signed out: to login");
  } finally {
    await t.cleanup();
  }
});

Deno.test("departments: an admin creates a department; bad or taken slugs re-render with the values kept", async () => {
  const t = await setupCustomerApp();
  try {
    const cookie = await t.login();
    const list = await t.request("/admin/departments", { cookie });
    assert.equal(list.status, 200);
    assert.match(await list.text(), /href="\/inquiry\/support"/);
    const create = (name: string, slug: string) =>
      t.request("/admin/departments", {
        method: "POST",
        body: new URLSearchParams({ name, slug }),
        cookie,
      });
    const bad = await create("<b>営業</b>", "Sales Team");
    assert.equal(bad.status, 422);
    const html = await bad.text();
    assert.match(html, /value="&lt;b>営業&lt;\/b>"/);
    assert.match(html, /英小文字・数字・ハイフン/);
    assert.equal((await create("感謝", "thanks")).status, 422, "reserved slug");
    const ok = await create("営業部", "sales");
    assert.equal(ok.status, 303);
    assert.match(ok.headers.get("location")!, /^\/admin\/departments\/\d+$/);
    const taken = await create("営業部2", "sales");
    assert.equal(taken.status, 422);
    assert.match(await taken.text(), /使われています/);
    assert.equal((await t.request("/inquiry/sales")).status, 200);
  } finally {
    await t.cleanup();
  }
});

Deno.test("departments: templates with unknown placeholders or a broken subject are refused; good ones are saved", async () => {
  const t = await setupCustomerApp();
  try {
    const cookie = await t.login();
    const support = (await findDepartmentBySlug(t.store.db, "support"))!;
    const page = await (await t.request(`/admin/departments/${support.id}`, { cookie })).text();
    assert.match(page, /お問い合わせを受け付けました: \{\{subject\}\} \{\{tag\}\}/);
    const save = (fields: Record<string, string>) =>
      t.request(`/admin/departments/${support.id}`, {
        method: "POST",
        body: new URLSearchParams({ name: "サポート", ...fields }),
        cookie,
      });
    const bad = await save({
      "tpl.customer.ja.subject": "受付 {{number}}",
      "tpl.customer.ja.body": "{{nmae}} 様\n{{reply_url}}",
      "tpl.agents.en.subject": "New\r\nBcc: x@example.org",
    });
    assert.equal(bad.status, 422);
    const html = await bad.text();
    assert.match(html, /使えない差し込みがあります: \{\{nmae\}\}/);
    assert.match(html, /件名に改行は使えません/);
    assert.match(html, /\{\{nmae\}\} 様/);

    const ok = await save({
      "tpl.customer.ja.subject": "受付 {{number}}",
      "tpl.customer.ja.body": "{{name}} 様\n{{reply_url}}",
      notify: "1",
    });
    assert.equal(ok.status, 303);
    const settings = await findDepartmentSettings(t.store.db, support.id);
    assert.deepEqual(settings.templates, {
      customer: { ja: { subject: "受付 {{number}}", body: "{{name}} 様\n{{reply_url}}" } },
    });
    assert.equal(settings.confirmCustomer, false, "an unticked box switches the mail off");
    assert.deepEqual(settings.notifyAgentIds, [1]);
    const saved = await (await t.request(`/admin/departments/${support.id}?saved=1`, { cookie }))
      .text();
    assert.match(saved, /保存しました/);
  } finally {
    await t.cleanup();
  }
});
