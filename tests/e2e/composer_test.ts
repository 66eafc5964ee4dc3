/**
 * The composer in a real browser: the customer's Cc kept, a signature set in the profile and
 * edited in the text, a file dropped onto the composer, Ctrl+Enter to send; the relay gets To + Cc
 * + Bcc and the file. An HTML mail whose text part is a stub shows its HTML first. Checked at
 * desktop and phone widths (no horizontal scrolling), with screenshots.
 */
import assert from "node:assert/strict";
// @ts-types="@types/mailparser"
import { simpleParser } from "mailparser";
import { buildIslands } from "../../islands/build.ts";
import { startServices } from "../../server.ts";
import { sendRaw, startSmtpSink, testConfig } from "../helpers.ts";
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

/** A multipart/alternative mail whose text part says nothing and whose HTML has the content. */
function htmlMail(messageId: string): string {
  const b = "b1";
  const html = "<html><body><p>お世話になっております。見積もりの件でご相談です。</p>" +
    "<table><tr><td>品目</td><td>数量</td><td>単価</td></tr>" +
    "<tr><td>サポート年間契約</td><td>3</td><td>120,000円</td></tr>" +
    "<tr><td>導入支援</td><td>1</td><td>50,000円</td></tr></table>" +
    '<p>詳細は <a href="https://example.com/quote/42">見積書ページ</a> をご覧ください。</p>' +
    "</body></html>";
  return [
    "From: =?UTF-8?B?5bGx55Sw5aSq6YOO?= <taro@example.com>",
    "To: support@example.test",
    "Cc: =?UTF-8?B?57WM55CG?= <keiri@example.com>",
    "Subject: =?UTF-8?B?6KaL56mN44KC44KK44Gu44GU55u46KuH?=",
    `Message-ID: ${messageId}`,
    `Date: ${new Date().toUTCString()}`,
    "MIME-Version: 1.0",
    `Content-Type: multipart/alternative; boundary="${b}"`,
    "",
    `--${b}`,
    "Content-Type: text/plain; charset=utf-8",
    "",
    "HTMLメールをご覧ください",
    `--${b}`,
    "Content-Type: text/html; charset=utf-8",
    "",
    html,
    `--${b}--`,
    "",
  ].join("\r\n");
}

Deno.test({
  name: "e2e: composer — Cc kept, signature, dropped file, Ctrl+Enter; HTML first; phone width",
  ignore: !chromiumPath && !requireBrowser,
  async fn() {
    assert.ok(chromiumPath, "No chromium found, and MADOGUCHI_REQUIRE_BROWSER=1 requires one");
    const dataDir = await Deno.makeTempDir({ prefix: "madoguchi-e2e-" });
    const shotDir = Deno.env.get("MADOGUCHI_COMPOSER_SHOTS") ??
      await Deno.makeTempDir({ prefix: "madoguchi-e2e-shots-" });
    const port = freePort();
    const base = `http://127.0.0.1:${port}`;
    await buildIslands();
    const sink = await startSmtpSink();
    let running: Awaited<ReturnType<typeof startServices>> | undefined;
    let chromium: Awaited<ReturnType<typeof launchChromium>> | undefined;
    try {
      running = await startServices(
        testConfig(dataDir, {
          MADOGUCHI_HTTP_PORT: String(port),
          MADOGUCHI_PUBLIC_URL: base,
          MADOGUCHI_SMTP_RELAY_URL: sink.url,
          MADOGUCHI_ADMIN_EMAIL: ADMIN.email,
          MADOGUCHI_ADMIN_PASSWORD: ADMIN.password,
        }),
        { quiet: true },
      );
      const messageId = `<quote.${crypto.randomUUID()}@example.com>`;
      assert.match(
        await sendRaw(
          running.smtp.port,
          { from: "taro@example.com", to: ["support@example.test"] },
          htmlMail(messageId),
        ),
        /^250 /,
      );

      chromium = await launchChromium(chromiumPath, {
        locale: "ja-JP",
        viewport: { width: 1366, height: 900 },
      });
      const page = chromium.context.pages()[0] ?? await chromium.context.newPage();
      page.setDefaultTimeout(10_000);
      const pageErrors: string[] = [];
      page.on("pageerror", (e) => pageErrors.push(String(e)));

      await signIn(page, base, ADMIN);

      // The agent's own signature, set once in the profile.
      await page.goto(`${base}/settings/profile`);
      await page.fill('textarea[name="signature"]', "管理者\nサポート窓口");
      await Promise.all([
        page.waitForURL((u) => u.searchParams.get("signature") === "saved"),
        page.click('form[action="/settings/profile/signature"] button[type="submit"]'),
      ]);

      await page.goto(`${base}/tickets/1001`);
      await page.locator('textarea[name="text"][data-hydrated="true"]').waitFor();
      // HTML first: the stub text part is one click away, the table and link are shown.
      const message = page.locator("article.message.in").first();
      assert.ok(await message.locator(".mail-html table").isVisible(), "the HTML is not shown");
      assert.equal(await message.locator("details.mail-text-part").count(), 1);
      assert.equal(await message.locator("details.mail-text-part").getAttribute("open"), null);

      // Reply-all and the signature are filled in.
      assert.equal(await page.inputValue('input[name="to"]'), "山田太郎 <taro@example.com>");
      assert.equal(await page.inputValue('input[name="cc"]'), "経理 <keiri@example.com>");
      const text = page.locator('textarea[name="text"]');
      assert.equal(await text.inputValue(), "\n\n管理者\nサポート窓口");
      await page.screenshot({ path: `${shotDir}/composer-1366.png`, fullPage: true });

      // Write above the signature; add a Bcc; drop a file on the composer.
      await text.click();
      await page.keyboard.press("Control+Home");
      await page.keyboard.type("山田様\n見積書をお送りします。");
      // Cc holds the customer's copy, so Cc and Bcc are unfolded already.
      assert.equal(await page.locator(".composer-copies").getAttribute("open"), "");
      await page.fill('input[name="bcc"]', "archive@example.org");
      const files = await page.evaluateHandle(() => {
        const transfer = new DataTransfer();
        transfer.items.add(new File(["%PDF-1.4 quote"], "見積書.pdf", { type: "application/pdf" }));
        return transfer;
      });
      await page.dispatchEvent(".composer", "dragover", { dataTransfer: files });
      await page.dispatchEvent(".composer", "drop", { dataTransfer: files });
      await page.locator(".composer-chosen li", { hasText: "見積書.pdf" }).waitFor();
      assert.equal(
        await page.$eval('input[name="attachments"]', (i) => (i as HTMLInputElement).files?.length),
        1,
      );
      await page.screenshot({ path: `${shotDir}/composer-filled-1366.png`, fullPage: true });

      // The note toggle hides what a note does not use (CSS only).
      await page.click('label[data-shortcut="n"]');
      assert.equal(await page.locator('input[name="to"]').isVisible(), false);
      // A note keeps its files (agents only), so the file input stays.
      assert.equal(await page.locator('input[name="attachments"]').isVisible(), true);
      await page.click('input[name="mode"][value="reply"]');
      assert.equal(await page.locator('input[name="to"]').isVisible(), true);

      // Ctrl+Enter sends.
      await text.click();
      await Promise.all([
        page.waitForURL((u) => u.pathname === "/tickets/1001" && u.hash.startsWith("#m")),
        page.keyboard.press("Control+Enter"),
      ]);
      const out = await sink.next();
      assert.deepEqual(
        [...out.to].sort(),
        ["archive@example.org", "keiri@example.com", "taro@example.com"],
      );
      const mail = await simpleParser(out.raw);
      assert.deepEqual(mail.attachments.map((a) => a.filename), ["見積書.pdf"]);
      assert.equal(mail.inReplyTo, messageId);
      assert.match(mail.text ?? "", /^山田様\n見積書をお送りします。\n\n管理者\nサポート窓口/);
      assert.doesNotMatch(out.raw, /archive@example\.org/);
      const sent = page.locator("article.message.out").last();
      assert.match(await sent.locator("dl.recipients").innerText(), /Bcc:\s*archive@example\.org/);
      assert.match(await sent.locator("ul.attachments").innerText(), /見積書\.pdf/);

      // Phone width: the composer fits, nothing scrolls sideways, targets are tall enough.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${base}/tickets/1001#reply`);
      await page.locator('textarea[name="text"][data-hydrated="true"]').waitFor();
      const overflow = await page.evaluate(() =>
        document.documentElement.scrollWidth - document.documentElement.clientWidth
      );
      assert.ok(overflow <= 0, `the page scrolls ${overflow}px sideways at 390 px`);
      const modeHeight = await page.locator('label[data-shortcut="n"]').evaluate((el) =>
        el.getBoundingClientRect().height
      );
      assert.ok(modeHeight >= 40, `the note toggle is ${modeHeight}px tall`);
      await page.locator("#reply").screenshot({ path: `${shotDir}/composer-390.png` });
      await page.screenshot({ path: `${shotDir}/ticket-390.png`, fullPage: true });
      assert.deepEqual(pageErrors, [], "JavaScript errors in the page");
    } finally {
      await chromium?.close();
      await running?.stop();
      await sink.close();
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
      if (!Deno.env.get("MADOGUCHI_COMPOSER_SHOTS")) {
        await Deno.remove(shotDir, { recursive: true }).catch(() => {});
      }
    }
  },
});
