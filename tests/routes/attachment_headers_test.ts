/** Attachments are served as harmless types in a sandbox, wherever they are downloaded. */
import assert from "node:assert/strict";
import { createApiToken } from "../runtime.ts";
import { listMessages } from "../../db/messages.ts";
import { findTicketByNumber } from "../../db/tickets.ts";
import { safeContentType } from "../../routes/attachments.ts";
import { customerPath, setupCustomerApp } from "./customer_helpers.ts";

Deno.test("attachment headers: only harmless types pass; scripts, HTML and SVG become bytes", () => {
  const cases: [string, string][] = [
    ["text/javascript", "application/octet-stream"],
    ["application/javascript", "application/octet-stream"],
    ["text/html; charset=utf-8", "application/octet-stream"],
    ["image/svg+xml", "application/octet-stream"],
    ["application/xhtml+xml", "application/octet-stream"],
    ["text/css", "application/octet-stream"],
    ["", "application/octet-stream"],
    ["IMAGE/PNG", "image/png"],
    ["image/jpeg", "image/jpeg"],
    ["application/pdf", "application/pdf"],
    ["application/zip", "application/zip"],
    [
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ],
    ["text/plain", "text/plain; charset=utf-8"],
    ["text/plain; charset=Shift_JIS", "text/plain; charset=shift_jis"],
    ['text/plain; charset="iso-2022-jp"', "text/plain; charset=iso-2022-jp"],
    ["text/plain; charset=x\r\nSet-Cookie: a=b", "text/plain; charset=utf-8"],
  ];
  for (const [stored, served] of cases) assert.equal(safeContentType(stored), served, stored);
});

Deno.test("attachment headers: a script uploaded on the public form is served as bytes in a sandbox everywhere", async () => {
  const t = await setupCustomerApp();
  try {
    const path = "/inquiry/support";
    const sent = await t.postForm(path, {
      form_token: await t.formToken(path),
      name: "山田 太郎",
      email: "taro@example.com",
      subject: "件名",
      text: "本文",
    }, {
      files: [
        ["evil.js", new TextEncoder().encode("alert(document.cookie)"), "text/javascript"],
        ["pic.png", Uint8Array.of(0x89, 0x50, 0x4e, 0x47), "image/png"],
        ["pic.svg", new TextEncoder().encode("<svg/>"), "image/svg+xml"],
      ],
    });
    assert.equal(sent.status, 303);
    const ticket = (await findTicketByNumber(t.store.db, 1001))!;
    const [first] = await listMessages(t.store.db, ticket.id);
    const byName = Object.fromEntries(first.attachments.map((a) => [a.filename, a.id]));

    const cookie = await t.login();
    const confirmation = (await t.outbox()).find((m) => m.to.includes("taro@example.com"))!;
    const customer = customerPath(confirmation.mail.text ?? "");
    const token = await createApiToken(t.store, 1, "test");
    const downloads: [string, Response][] = [
      ["agent", await t.request(`/attachments/${byName["evil.js"]}`, { cookie })],
      ["customer", await t.request(`${customer}/attachments/${byName["evil.js"]}`)],
      [
        "api",
        await t.request(`/api/v1/attachments/${byName["evil.js"]}`, {
          headers: { authorization: `Bearer ${token}` },
        }),
      ],
    ];
    for (const [where, res] of downloads) {
      assert.equal(res.status, 200, where);
      assert.equal(res.headers.get("content-type"), "application/octet-stream", where);
      assert.equal(
        res.headers.get("content-security-policy"),
        "sandbox; default-src 'none'",
        where,
      );
      assert.equal(res.headers.get("x-content-type-options"), "nosniff", where);
      assert.match(res.headers.get("content-disposition")!, /^attachment; filename="evil\.js"/);
      assert.equal(await res.text(), "alert(document.cookie)", where);
    }

    const inline = await t.request(`/attachments/${byName["pic.png"]}/inline`, { cookie });
    assert.equal(inline.status, 200);
    assert.equal(inline.headers.get("content-type"), "image/png");
    assert.equal(inline.headers.get("content-security-policy"), "sandbox; default-src 'none'");
    assert.match(inline.headers.get("content-disposition")!, /^inline;/);
    await inline.body?.cancel();
    const svg = await t.request(`/attachments/${byName["pic.svg"]}/inline`, { cookie });
    assert.equal(svg.status, 415);
    await svg.body?.cancel();
    // Pages keep the app's own policy.
    const page = await t.request("/tickets/1001", { cookie });
    assert.match(page.headers.get("content-security-policy")!, /script-src 'self'/);
    await page.body?.cancel();
  } finally {
    await t.cleanup();
  }
});
