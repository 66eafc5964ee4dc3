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
      // Sato's page shows Yamada's reply without a reload (marked 新着); the inbox row turns 保留.
      await sato.waitForSelector(".live-message >> text=山田です。再発行いたします。");
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

      // The customer writes again: it appears on Yamada's open ticket, and as Yamada's box is
      // empty, the reply form moves to the new version.
      const before = Number(await yamada.inputValue("#reply-form input[name=version]"));
      await sendRaw(
        running.smtp.port,
        { from: "taro@example.com", to: ["support@example.test"] },
        rawMail({
          From: "taro@example.com",
          To: "support@example.test",
          Subject: "Re: Invoice",
          "Message-ID": `<guard.${crypto.randomUUID()}@example.com>`,
          "In-Reply-To": /^Message-ID:\s*(<[^>]+>)/im.exec(sink.messages[0].raw)?.[1] ?? "",
        }, "ありがとうございます。宛名は株式会社タロウでお願いします。\r\n"),
      );
      await yamada.waitForSelector(".live-message >> text=宛名は株式会社タロウでお願いします");
      await yamada.waitForFunction(
        (v) =>
          Number(
            document.querySelector<HTMLInputElement>("#reply-form input[name=version]")?.value,
          ) > v,
        before,
      );

      // The dashboard in another tab: today's received figure follows without a reload.
      const dashboard = await browsers[0].context.newPage();
      dashboard.on("pageerror", (e) => errors.push(String(e)));
      await dashboard.goto(`${base}/dashboard`);
      const received = () =>
        dashboard.textContent("[data-live-dashboard] .kpi:first-child .kpi-value");
      assert.equal((await received())?.trim(), "1");

      // A new customer's mail: its row appears in the open inbox (first page) without a reload.
      await sendRaw(
        running.smtp.port,
        { from: "hanako@example.com", to: ["support@example.test"] },
        rawMail({
          From: "hanako@example.com",
          To: "support@example.test",
          Subject: "配送について",
          "Message-ID": `<guard.${crypto.randomUUID()}@example.com>`,
        }, "届いていません。\r\n"),
      );
      await inbox.waitForSelector('tr[data-ticket="1002"].live-new >> text=配送について');
      await dashboard.waitForFunction(
        () =>
          document.querySelector("[data-live-dashboard] .kpi:first-child .kpi-value")?.textContent
            ?.trim() === "2",
        undefined,
        { timeout: 10_000 },
      );
      if (shots) await inbox.screenshot({ path: `${shots}/inbox_new_1366.png` });

      // Send delay: a live countdown next to the cancel button, which still cancels.
      await running.store.writeTx((tx) =>
        tx.updateTable("agents").set({ send_delay_seconds: 30 })
          .where("email", "=", "yamada@example.test").execute()
      );
      await yamada.fill("#reply-form textarea[name=text]", "宛名を直して再発行いたします。");
      await Promise.all([
        yamada.waitForURL(/#m\d+$/),
        yamada.click('#reply-form button[type="submit"]:not([formaction])'),
      ]);
      await yamada.waitForSelector("form.undo-send .countdown >> text=/送信まで \\d+秒/");
      if (shots) await yamada.screenshot({ path: `${shots}/countdown_1366.png`, fullPage: true });
      await Promise.all([
        yamada.waitForLoadState("load"),
        yamada.click("form.undo-send button"),
      ]);
      await yamada.waitForFunction(() => !document.querySelector("form.undo-send"));
      assert.equal(
        await yamada.inputValue("#reply-form textarea[name=text]"),
        "宛名を直して再発行いたします。",
      );
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
