/** Keyboard shortcuts in a real browser: j/Enter opens a ticket, e resolves it, ? lists the keys. */
import assert from "node:assert/strict";
import { buildIslands } from "../../islands/build.ts";
import { startServices } from "../../server.ts";
import { rawMail, sendRaw, testConfig } from "../helpers.ts";
import { findChromium, launchChromium } from "./chromium.ts";

const chromiumPath = findChromium();
const requireBrowser = Deno.env.get("MADOGUCHI_REQUIRE_BROWSER") === "1";

Deno.test({
  name: "e2e: keyboard shortcuts — j and Enter open a ticket, e resolves it, ? shows the keys",
  ignore: !chromiumPath && !requireBrowser,
  async fn() {
    assert.ok(chromiumPath, "No chromium found, and MADOGUCHI_REQUIRE_BROWSER=1 requires one");
    const dir = await Deno.makeTempDir({ prefix: "madoguchi-keys-" });
    await buildIslands();
    const running = await startServices(
      testConfig(dir, {
        MADOGUCHI_ADMIN_EMAIL: "admin@example.test",
        MADOGUCHI_ADMIN_PASSWORD: "correct horse battery",
      }),
      { quiet: true },
    );
    const browser = await launchChromium(chromiumPath!, { viewport: { width: 1366, height: 900 } });
    try {
      for (const n of [1, 2]) {
        await sendRaw(
          running.smtp.port,
          { from: `c${n}@example.com`, to: ["support@example.test"] },
          rawMail({ From: `c${n}@example.com`, Subject: `質問 ${n}` }, "本文"),
        );
      }
      const base = `http://127.0.0.1:${running.httpPort}`;
      const page = await browser.context.newPage();
      await page.goto(`${base}/login`);
      await page.fill("input[name=email]", "admin@example.test");
      await page.fill("input[name=password]", "correct horse battery");
      await page.click("button[type=submit]");
      await page.waitForSelector("tr[data-ticket]");
      const ready = () => page.waitForSelector("html[data-shortcuts=ready]", { state: "attached" });
      await ready();
      // Newest first: j selects 1002, a second j 1001, Enter opens it.
      await page.keyboard.press("j");
      await page.keyboard.press("j");
      assert.equal(await page.getAttribute("tr.kbd-selected", "data-ticket"), "1001");
      await Promise.all([page.waitForURL(/\/tickets\/1001$/), page.keyboard.press("Enter")]);
      await ready();
      // n: note mode with the cursor in the text box; typed keys stay in it.
      await page.keyboard.press("n");
      assert.equal(await page.isChecked('input[name="mode"][value="note"]'), true);
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("name")), "text");
      await page.keyboard.press("Escape");
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await page.click('input[name="mode"][value="reply"]');
      await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      // a: assign to me; the same URL comes back after the post, so wait for the new page.
      await Promise.all([page.waitForEvent("load"), page.keyboard.press("a")]);
      assert.match(await page.textContent(".flash") ?? "", /担当者を変更しました/);
      assert.match(
        await page.$eval('select[name="assignee_id"] option:checked', (o) => o.textContent ?? ""),
        /admin/i,
      );
      await ready();
      await Promise.all([page.waitForEvent("load"), page.keyboard.press("e")]);
      await page.waitForSelector(".flash");
      assert.match(await page.textContent(".ticket-head") ?? "", /対応完了/);
      await ready();
      await page.keyboard.press("?");
      assert.match(await page.textContent(".shortcuts") ?? "", /キーボードショートカット/);
      // Keys typed into a field stay in the field.
      await page.keyboard.press("Escape");
      await page.focus("textarea[name=text]");
      await page.keyboard.type("e");
      assert.equal(await page.inputValue("textarea[name=text]"), "e");
    } finally {
      await browser.close();
      await running.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
