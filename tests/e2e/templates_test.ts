/**
 * End to end in Chromium: a reply template goes into the composer both ways — hydrated, the
 * island inserts it at the cursor; with JavaScript off, the picker reloads the page with it
 * filled in — and the reply sent from it counts as a use.
 */
import assert from "node:assert/strict";
import { buildIslands } from "../../islands/build.ts";
import { startServices } from "../../server.ts";
import { testConfig } from "../helpers.ts";
import { findChromium, launchChromium, signIn } from "./chromium.ts";

const chromiumPath = findChromium();
const requireBrowser = Deno.env.get("MADOGUCHI_REQUIRE_BROWSER") === "1";
const ADMIN = { email: "admin@example.test", password: "correct horse battery" };

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

Deno.test({
  name: "e2e: a template is inserted by the island and, without JavaScript, by the picker",
  ignore: !chromiumPath && !requireBrowser,
  async fn() {
    assert.ok(chromiumPath, "No chromium found, and MADOGUCHI_REQUIRE_BROWSER=1 requires one");
    const dataDir = await Deno.makeTempDir({ prefix: "madoguchi-e2e-" });
    const port = freePort();
    const base = `http://127.0.0.1:${port}`;
    await buildIslands();
    let running: Awaited<ReturnType<typeof startServices>> | undefined;
    const browsers: Awaited<ReturnType<typeof launchChromium>>[] = [];
    try {
      running = await startServices(
        testConfig(dataDir, {
          MADOGUCHI_HTTP_PORT: String(port),
          MADOGUCHI_PUBLIC_URL: base,
          MADOGUCHI_ADMIN_EMAIL: ADMIN.email,
          MADOGUCHI_ADMIN_PASSWORD: ADMIN.password,
        }),
        { quiet: true },
      );
      const auth = `Basic ${btoa(`${ADMIN.email}:${ADMIN.password}`)}`;
      const api = async (path: string, json?: unknown) => {
        const res = await fetch(`${base}/api/v1${path}`, {
          method: json === undefined ? "GET" : "POST",
          headers: { authorization: auth, "content-type": "application/json" },
          body: json === undefined ? undefined : JSON.stringify(json),
        });
        return await res.json();
      };
      const ticket = await api("/tickets", {
        customer: { email: "taro@example.com", name: "山田 太郎" },
        subject: "請求書の再発行について",
        text: "請求書を再発行してください。",
      });
      const template = await api("/templates", {
        title: "請求書の再発行",
        body: "{{customer.name}} 様\n請求書を再発行いたします。",
        scope: "shared",
      });

      for (const javaScriptEnabled of [true, false]) {
        const chromium = await launchChromium(chromiumPath, { locale: "ja-JP", javaScriptEnabled });
        browsers.push(chromium);
        const page = chromium.context.pages()[0] ?? await chromium.context.newPage();
        page.setDefaultTimeout(10_000);
        const errors: string[] = [];
        page.on("pageerror", (e) => errors.push(String(e)));
        await signIn(page, base, ADMIN);
        await page.goto(`${base}/tickets/${ticket.number}`);
        // The suggestion names the template and the words it matched.
        assert.match(await page.locator(".suggestions").innerText(), /請求書の再発行[\s\S]*請求書/);
        const text = page.locator('textarea[name="text"]');
        if (javaScriptEnabled) {
          await page.locator('textarea[name="text"][data-hydrated="true"]').waitFor();
          assert.equal(await page.locator(".template-get").isVisible(), false);
          await text.fill("冒頭\n");
          await text.evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(3, 3));
          await page.selectOption("select[data-template-insert]", String(template.id));
          assert.equal(await text.inputValue(), "冒頭\n山田 太郎 様\n請求書を再発行いたします。");
        } else {
          await page.selectOption('.template-get select[name="template"]', String(template.id));
          await Promise.all([
            page.waitForURL((u) => u.searchParams.get("template") === String(template.id)),
            page.click(".template-get button"),
          ]);
          assert.equal(await text.inputValue(), "山田 太郎 様\n請求書を再発行いたします。");
        }
        assert.equal(
          await page.locator('input[name="template_id"]').getAttribute("value"),
          String(template.id),
        );
        await Promise.all([
          page.waitForURL((u) => u.hash.startsWith("#m")),
          page.click('form[action$="/reply"] button[type="submit"]'),
        ]);
        assert.deepEqual(errors, []);
      }
      assert.equal((await api(`/templates/${template.id}`)).usage_count, 2);
    } finally {
      for (const b of browsers) await b.close();
      await running?.stop();
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    }
  },
});
