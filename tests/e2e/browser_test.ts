/**
 * End to end, over real sockets, a real database file and a real browser: a customer's Japanese
 * mail arrives by SMTP, an agent logs in, finds it in 未対応, answers from the hydrated reply box,
 * the relay receives a threaded reply, and the customer's answer (new subject, no tag, only
 * In-Reply-To) lands on the same ticket and puts it back in 未対応.
 */
import assert from "node:assert/strict";
// @ts-types="@types/mailparser"
import { simpleParser } from "mailparser";
import { buildIslands } from "../../islands/build.ts";
import { startServices } from "../../server.ts";
import { rawMail, sendRaw, startSmtpSink, testConfig } from "../helpers.ts";
import { findChromium, launchChromium } from "./chromium.ts";

const chromiumPath = findChromium();
// CI sets MADOGUCHI_REQUIRE_BROWSER=1 so a missing browser fails instead of skipping quietly.
const requireBrowser = Deno.env.get("MADOGUCHI_REQUIRE_BROWSER") === "1";
if (!chromiumPath && !requireBrowser) {
  console.warn(
    "e2e: skipping the browser test: no chromium found (apt-get install chromium fonts-noto-cjk)",
  );
}

const ADMIN = { email: "admin@example.test", password: "correct horse battery" };
const SUBJECT = "【問い合わせ】請求書の再発行について";
const CUSTOMER_MESSAGE_ID = `<inquiry.${crypto.randomUUID()}@example.com>`;
const REPLY_TEXT =
  "山田様\nお問い合わせありがとうございます。請求書を再発行し、本日中にお送りいたします。";
const CUSTOMER_ANSWER = "早速のご対応ありがとうございます。請求書、確かに受け取りました。";

/** An RFC 2047 encoded-word, as mailers write non-ASCII headers. */
function encodeWord(text: string): string {
  const bytes = new TextEncoder().encode(text);
  return `=?UTF-8?B?${btoa(String.fromCharCode(...bytes))}?=`;
}

/** A loopback port that was free a moment ago, so PUBLIC_URL can name it before we listen. */
function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

Deno.test({
  name:
    "e2e: a Japanese mail becomes a ticket, the agent replies in the browser, the answer threads",
  ignore: !chromiumPath && !requireBrowser,
  async fn() {
    assert.ok(chromiumPath, "No chromium found, and MADOGUCHI_REQUIRE_BROWSER=1 requires one");
    const dataDir = await Deno.makeTempDir({ prefix: "madoguchi-e2e-" });
    const shotDir = await Deno.makeTempDir({ prefix: "madoguchi-e2e-shots-" });
    const saveDocs = Deno.env.get("MADOGUCHI_SCREENSHOTS") === "1";
    const docsDir = new URL("../../docs/screenshots/", import.meta.url).pathname;
    const port = freePort();
    const base = `http://127.0.0.1:${port}`;

    await buildIslands();
    const sink = await startSmtpSink();
    let running: Awaited<ReturnType<typeof startServices>> | undefined;
    let chromium: Awaited<ReturnType<typeof launchChromium>> | undefined;
    let passed = false;
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
      assert.equal(running.httpPort, port);

      // 1. The customer writes in over real SMTP.
      const accepted = await sendRaw(
        running.smtp.port,
        { from: "taro@example.com", to: ["support@example.test"] },
        rawMail({
          From: `${encodeWord("山田太郎")} <taro@example.com>`,
          To: "support@example.test",
          Subject: encodeWord(SUBJECT),
          "Message-ID": CUSTOMER_MESSAGE_ID,
          Date: new Date().toUTCString(),
        }, "先月分の請求書を紛失してしまいました。\r\n再発行をお願いできますでしょうか。\r\n"),
      );
      assert.match(accepted, /^250 /);

      chromium = await launchChromium(chromiumPath, { locale: "ja-JP" });
      const page = chromium.context.pages()[0] ?? await chromium.context.newPage();
      page.setDefaultTimeout(10_000);
      const pageErrors: string[] = [];
      page.on("pageerror", (e) => pageErrors.push(String(e)));
      const dialogs: string[] = [];
      page.on("dialog", (d) => {
        dialogs.push(d.type());
        d.accept().catch(() => {});
      });

      // 2. Signed out, / sends the agent to the login form.
      await page.goto(`${base}/`);
      assert.equal(new URL(page.url()).pathname, "/login");
      await page.fill('input[name="email"]', ADMIN.email);
      await page.fill('input[name="password"]', ADMIN.password);
      await Promise.all([
        page.waitForURL((u) => u.pathname === "/"),
        page.click('form[action="/login"] button[type="submit"]'),
      ]);

      // 3. The ticket waits in the 未対応 folder.
      const active = page.locator("nav.folders a.active");
      assert.match(await active.innerText(), /未対応\s*1/);
      const row = page.locator("tr[data-ticket]", { hasText: SUBJECT });
      assert.equal(await row.count(), 1);
      assert.match(await row.innerText(), /山田太郎/);
      const number = Number(await row.getAttribute("data-ticket"));
      assert.ok(Number.isSafeInteger(number) && number > 0, `bad ticket number ${number}`);
      await page.screenshot({ path: `${shotDir}/inbox.png`, fullPage: true });
      if (saveDocs) {
        await Deno.mkdir(docsDir, { recursive: true });
        await page.screenshot({ path: `${docsDir}/inbox.png`, fullPage: true });
      }

      // 4. Open it; the reply composer island hydrates.
      await Promise.all([
        page.waitForURL((u) => u.pathname === `/tickets/${number}`),
        row.locator(`a[href="/tickets/${number}"]`).click(),
      ]);
      assert.match(await page.locator(".ticket-head h1").innerText(), new RegExp(SUBJECT));
      const composer = page.locator('textarea[name="text"]');
      await page.locator('textarea[name="text"][data-hydrated="true"]').waitFor();

      // 5. Type a reply and send it.
      await composer.click();
      await composer.fill(REPLY_TEXT);
      assert.equal(await composer.inputValue(), REPLY_TEXT);
      await Promise.all([
        page.waitForURL((u) => u.pathname === `/tickets/${number}`),
        page.click(`form[action="/tickets/${number}/reply"] button[type="submit"]`),
      ]);
      await page.waitForLoadState("load");
      assert.match(await page.locator(".ticket-head .badge").innerText(), /保留/);

      // 6. The relay gets a reply threaded three ways: subject tag, In-Reply-To, plus address.
      const out = await within(sink.next(), 10_000, "the reply at the SMTP relay");
      assert.deepEqual(out.to, ["taro@example.com"]);
      const reply = await simpleParser(out.raw);
      assert.equal(
        reply.to && !Array.isArray(reply.to) ? reply.to.value[0].address : null,
        "taro@example.com",
      );
      assert.ok(
        reply.subject?.includes(`[#${number}]`),
        `subject ${reply.subject} lacks [#${number}]`,
      );
      assert.ok(reply.subject?.includes("請求書の再発行について"), `subject ${reply.subject}`);
      assert.equal(reply.inReplyTo, CUSTOMER_MESSAGE_ID);
      assert.match(reply.replyTo?.value[0].address ?? "", /^support\+t[^@]+@example\.test$/);
      assert.ok(reply.text?.includes("本日中にお送りいたします"), `reply body: ${reply.text}`);
      assert.ok(reply.messageId, "the reply has no Message-ID");

      // 7. The customer answers with a new subject and no tag; In-Reply-To alone threads it.
      const answered = await sendRaw(
        running.smtp.port,
        { from: "taro@example.com", to: ["support@example.test"] },
        rawMail({
          From: `${encodeWord("山田太郎")} <taro@example.com>`,
          To: "support@example.test",
          Subject: encodeWord("受け取りました"),
          "Message-ID": `<answer.${crypto.randomUUID()}@example.com>`,
          "In-Reply-To": reply.messageId,
          Date: new Date().toUTCString(),
        }, `${CUSTOMER_ANSWER}\r\n`),
      );
      assert.match(answered, /^250 /);

      // 8. Reloaded, the ticket shows the answer and is back in 未対応.
      await page.reload();
      assert.ok(
        (await page.locator(".conversation").innerText()).includes(CUSTOMER_ANSWER),
        "the customer's answer is not on the ticket",
      );
      assert.match(await page.locator(".ticket-head .badge").innerText(), /未対応/);
      await page.screenshot({ path: `${shotDir}/ticket.png`, fullPage: true });
      if (saveDocs) await page.screenshot({ path: `${docsDir}/ticket.png`, fullPage: true });

      // Still one ticket: the answer did not open a new one.
      await page.goto(`${base}/?status=all`);
      assert.equal(await page.locator("tr[data-ticket]").count(), 1);

      assert.deepEqual(pageErrors, [], "JavaScript errors in the page");
      // Sending is not leaving: the composer must not ask "Leave site?" when its own form submits.
      assert.deepEqual(dialogs, [], "the page opened dialogs (a beforeunload prompt on send?)");
      passed = true;
    } finally {
      await chromium?.close();
      await running?.stop();
      await sink.close();
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
      // Keep the screenshots of a failed run for whoever reads the log.
      if (passed) await Deno.remove(shotDir, { recursive: true }).catch(() => {});
      else console.error(`e2e: screenshots kept in ${shotDir}`);
    }
  },
});
