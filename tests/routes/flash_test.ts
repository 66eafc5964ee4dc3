/** A confirmation after an action shows once on the next page; unknown keys show nothing. */
import assert from "node:assert/strict";
import { setupCustomerApp } from "./customer_helpers.ts";
import { ingestMessage } from "../runtime.ts";
import { rawMail } from "../helpers.ts";

Deno.test("flash: a status change confirms itself once on the ticket page", async () => {
  const t = await setupCustomerApp();
  try {
    const admin = await t.login();
    await ingestMessage(
      t.store,
      new TextEncoder().encode(rawMail({ From: "taro@example.com", Subject: "質問" }, "本文")),
      { mailFrom: "taro@example.com", rcptTo: ["support@example.test"], remoteAddress: null },
    );
    const body = new URLSearchParams({ status: "open" });
    const res = await t.request("/tickets/1001/status", { method: "POST", cookie: admin, body });
    assert.equal(res.status, 303);
    const set = res.headers.get("set-cookie") ?? "";
    assert.match(set, /madoguchi_flash=flash\.statusChanged/);
    assert.match(set, /HttpOnly/);
    const page = await t.request("/tickets/1001", {
      cookie: `${admin}; madoguchi_flash=flash.statusChanged`,
    });
    assert.match(await page.text(), /<p class="flash" role="status">状態を変更しました<\/p>/);
    assert.match(page.headers.get("set-cookie") ?? "", /madoguchi_flash=;/, "cleared once shown");
    const forged = await t.request("/tickets/1001", {
      cookie: `${admin}; madoguchi_flash=nav.inbox`,
    });
    assert.doesNotMatch(await forged.text(), /class="flash"/);
  } finally {
    await t.cleanup();
  }
});
