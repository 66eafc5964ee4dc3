/**
 * Two agents in two browsers on one ticket (issue 10): the second sees the first writing, live;
 * the first sends; the second's send, begun before, is held with the first's reply shown.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { buildIslands } from "../../islands/build.ts";
import { startServices } from "../../server.ts";
import { createAgent } from "../runtime.ts";
import { rawMail, sendRaw, startSmtpSink, testConfig } from "../helpers.ts";
import { findChromium, launchChromium } from "./chromium.ts";

const chromiumPath = findChromium();
const requireBrowser = Deno.env.get("MADOGUCHI_REQUIRE_BROWSER") === "1";
const PASSWORD = "correct horse battery";

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

async function login(page: Page, base: string, email: string) {
  await page.goto(`${base}/login?next=/tickets/1001`);
  await page.fill('input[name="email"]', email);
  await page.fill('input[name="password"]', PASSWORD);
  await Promise.all([
    page.waitForURL(/\/tickets\/1001/),
    page.click('form[action="/login"] button[type="submit"]'),
  ]);
  await page.waitForSelector('[data-island="ReplyGuard"] .reply-guard', { state: "attached" });
  await page.waitForSelector("textarea[data-hydrated]");
}

Deno.test({
  name: "e2e: a colleague writing shows live; a reply begun before theirs is held with it shown",
  ignore: !chromiumPath && !requireBrowser,
  async fn() {
    assert.ok(chromiumPath, "No chromium found, and MADOGUCHI_REQUIRE_BROWSER=1 requires one");
    const dataDir = await Deno.makeTempDir({ prefix: "madoguchi-e2e-guard-" });
    const shots = Deno.env.get("MADOGUCHI_GUARD_SHOTS");
    const port = freePort();
    const base = `http://127.0.0.1:${port}`;
    await buildIslands();
    const sink = await startSmtpSink();
    let running: Awaited<ReturnType<typeof startServices>> | undefined;
    const browsers: Awaited<ReturnType<typeof launchChromium>>[] = [];
    try {
      running = await startServices(
        testConfig(dataDir, {
          MADOGUCHI_HTTP_PORT: String(port),
          MADOGUCHI_PUBLIC_URL: base,
          MADOGUCHI_SMTP_RELAY_URL: sink.url,
          MADOGUCHI_ADMIN_EMAIL: "yamada@example.test",
          MADOGUCHI_ADMIN_PASSWORD: PASSWORD,
        }),
        { quiet: true },
      );
      await running.store.writeTx((tx) =>
        tx.updateTable("agents").set({ name: "山田" }).where("email", "=", "yamada@example.test")
          .execute()
      );
      await createAgent(running.store, {
        email: "sato@example.test",
        name: "佐藤",
        password: PASSWORD,
        role: "agent",
      });
      const accepted = await sendRaw(
        running.smtp.port,
        { from: "taro@example.com", to: ["support@example.test"] },
        rawMail({
          From: "taro@example.com",
          To: "support@example.test",
          Subject: "Invoice",
          "Message-ID": `<guard.${crypto.randomUUID()}@example.com>`,
        }, "請求書の再発行をお願いします。\r\n"),
      );
      assert.match(accepted, /^250 /);

      const pages: Page[] = [];
      const errors: string[] = [];
      for (const width of [1366, 390]) {
        const b = await launchChromium(chromiumPath, {
          viewport: { width, height: width > 500 ? 900 : 844 },
        });
        browsers.push(b);
        const page = b.context.pages()[0] ?? await b.context.newPage();
        page.setDefaultTimeout(10_000);
        page.on("pageerror", (e) => errors.push(String(e)));
        page.on("dialog", (d) => d.accept().catch(() => {}));
        pages.push(page);
      }
      const [yamada, sato] = pages;
      await login(yamada, base, "yamada@example.test");
      await login(sato, base, "sato@example.test");

      // Yamada starts writing; Sato's page shows it without a reload.
      const started = performance.now();
      await yamada.fill("#reply-form textarea[name=text]", "山田です。再発行いたします。");
      // On the ticket itself (#reply): the list beside it names the same people on its row.
      await sato.waitForSelector("#reply >> text=山田さんが返信を作成中です");
      console.log(`e2e: presence shown after ${Math.round(performance.now() - started)} ms`);
      await yamada.waitForSelector("#reply >> text=佐藤さんが表示中");
      if (shots) await sato.screenshot({ path: `${shots}/presence_390.png`, fullPage: true });
      if (shots) await yamada.screenshot({ path: `${shots}/presence_1366.png`, fullPage: true });

      // Yamada's inbox in another tab shows who is on the ticket.
      const inbox = await browsers[0].context.newPage();
      inbox.on("pageerror", (e) => errors.push(String(e)));
      await inbox.goto(`${base}/?status=all`);
      assert.match(
        await inbox.textContent('tr[data-ticket="1001"] .row-activity') ?? "",
        /佐藤さんが表示中/,
      );

      // Sato writes too (begun against the same version), Yamada sends first.
      await sato.fill("#reply-form textarea[name=text]", "佐藤です。確認いたします。");
      await Promise.all([
        yamada.waitForURL(/#m\d+$/),
        yamada.click('#reply-form button[type="submit"]:not([formaction])'),
      ]);
      // Sato's page hears of the new version; the inbox row turns 保留 without a reload.
      await sato.waitForSelector(".live-changed");
      await inbox.waitForSelector('tr[data-ticket="1001"] .badge.status-pending');
      if (shots) await inbox.screenshot({ path: `${shots}/inbox_1366.png` });
      await Promise.all([
        sato.waitForLoadState("load"),
        sato.click('#reply-form button[type="submit"]:not([formaction])'),
      ]);
      await sato.waitForSelector(".stale-notice");
      const held = await sato.textContent("main");
      assert.match(held ?? "", /送信を保留しました/);
      assert.match(held ?? "", /山田です。再発行いたします。/);
      assert.equal(
        await sato.inputValue("#reply-form textarea[name=text]"),
        "佐藤です。確認いたします。",
      );
      if (shots) await sato.screenshot({ path: `${shots}/held_390.png`, fullPage: true });
      await sink.next();
      assert.equal(sink.messages.length, 1);
      assert.deepEqual(errors, []);
    } finally {
      for (const b of browsers) await b.close();
      await running?.stop();
      await sink.close();
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    }
  },
});
