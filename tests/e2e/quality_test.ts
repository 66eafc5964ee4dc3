/**
 * Quality bars of issue 9, in a real browser: axe-core finds no serious or critical accessibility
 * violation on the inbox, a ticket, the admin index and the customer pages; agent pages ship under
 * 30 KB of JavaScript (gzipped) and customer pages none at all.
 */
import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { buildIslands } from "../../islands/build.ts";
import { startServices } from "../../server.ts";
import { rawMail, sendRaw, testConfig } from "../helpers.ts";
import { findChromium, launchChromium } from "./chromium.ts";
import { axeProblems } from "./axe.ts";

const chromiumPath = findChromium();
const requireBrowser = Deno.env.get("MADOGUCHI_REQUIRE_BROWSER") === "1";

Deno.test({
  name:
    "e2e: no serious accessibility violations; agent JS under 30 KB gzipped, customer pages none",
  ignore: !chromiumPath && !requireBrowser,
  async fn() {
    assert.ok(chromiumPath, "No chromium found, and MADOGUCHI_REQUIRE_BROWSER=1 requires one");
    const dir = await Deno.makeTempDir({ prefix: "madoguchi-a11y-" });
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
      await sendRaw(
        running.smtp.port,
        { from: "taro@example.com", to: ["support@example.test"] },
        rawMail(
          { From: "山田 太郎 <taro@example.com>", Subject: "請求書の再発行" },
          "お願いします",
        ),
      );
      const base = `http://127.0.0.1:${running.httpPort}`;
      const page = await browser.context.newPage();
      const scripts = new Map<string, number>();
      page.on("response", (res) => {
        if (res.request().resourceType() !== "script") return;
        // A page left before its script arrived (the login's, on submit) has no body to read:
        // audit() counts the scripts of the page it waited for, after networkidle.
        res.body().then((body) => scripts.set(res.url(), gzipSync(body).byteLength), () => {});
      });
      const audit = async (path: string) => {
        scripts.clear();
        await page.goto(`${base}${path}`);
        await page.waitForLoadState("networkidle");
        const bad = await axeProblems(page, path);
        return { bad, jsBytes: [...scripts.values()].reduce((a, b) => a + b, 0) };
      };

      // Customer pages first, signed out: no JavaScript at all.
      const problems: string[] = [];
      for (const path of ["/inquiry", "/status", "/login"]) {
        const { bad, jsBytes } = await audit(path);
        problems.push(...bad);
        if (path !== "/login") assert.equal(jsBytes, 0, `${path} loads no JavaScript`);
      }
      await page.fill("input[name=email]", "admin@example.test");
      await page.fill("input[name=password]", "correct horse battery");
      await Promise.all([page.waitForURL(`${base}/`), page.click("button[type=submit]")]);
      for (const path of ["/", "/tickets/1001", "/admin", "/notifications"]) {
        const { bad, jsBytes } = await audit(path);
        problems.push(...bad);
        assert.ok(jsBytes < 30 * 1024, `${path}: ${jsBytes} bytes of JavaScript gzipped`);
      }
      assert.deepEqual(problems, []);
    } finally {
      await browser.close();
      await running.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
