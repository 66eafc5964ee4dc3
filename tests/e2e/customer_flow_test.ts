/**
 * End to end, with JavaScript switched off in a real browser: a customer sends the inquiry form
 * with an attachment, the relay receives the confirmation and the agents' notification, the
 * customer opens the link from their mail and replies, the agent follows the deep link from the
 * notification, signs in and sees the reply on the ticket, back in 未対応.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
// @ts-types="@types/mailparser"
import { simpleParser } from "mailparser";
import { startServices } from "../../server.ts";
import { type CapturedMail, startSmtpSink, testConfig } from "../helpers.ts";
import { findChromium, launchChromium } from "./chromium.ts";

const chromiumPath = findChromium();
const requireBrowser = Deno.env.get("MADOGUCHI_REQUIRE_BROWSER") === "1";
if (!chromiumPath && !requireBrowser) {
  console.warn(
    "e2e: skipping the customer-flow test: no chromium found (apt-get install chromium fonts-noto-cjk)",
  );
}

const ADMIN = { email: "admin@example.test", password: "correct horse battery" };
const CUSTOMER = { name: "山田 花子", email: "hanako@example.com" };
const INQUIRY = "先月分の請求書が届いていません。\n再送をお願いできますでしょうか。";
const CUSTOMER_REPLY = "宛先は経理部の山田までお願いします。";
const AGENT_REPLY = "山田様\n承知いたしました。本日、経理部の山田様宛に再送いたします。";

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
    "e2e: without JavaScript, a web inquiry is confirmed by mail, the customer replies from the link, the agent sees it",
  ignore: !chromiumPath && !requireBrowser,
  async fn() {
    assert.ok(chromiumPath, "No chromium found, and MADOGUCHI_REQUIRE_BROWSER=1 requires one");
    const dataDir = await Deno.makeTempDir({ prefix: "madoguchi-e2e-customer-" });
    const saveDocs = Deno.env.get("MADOGUCHI_SCREENSHOTS") === "1";
    const docsDir = new URL("../../docs/screenshots/", import.meta.url).pathname;
    const port = freePort();
    const base = `http://127.0.0.1:${port}`;
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
      chromium = await launchChromium(chromiumPath, {
        locale: "ja-JP",
        javaScriptEnabled: false,
        viewport: { width: 900, height: 900 },
      });
      const page = chromium.context.pages()[0] ?? await chromium.context.newPage();
      page.setDefaultTimeout(10_000);
      const scripts: string[] = [];
      page.on("request", (r) => {
        if (r.resourceType() === "script") scripts.push(r.url());
      });

      // 1. The inquiry form, filled in and sent with an attachment.
      await page.goto(`${base}/inquiry`);
      await page.fill('input[name="name"]', CUSTOMER.name);
      await page.fill('input[name="email"]', CUSTOMER.email);
      await page.selectOption('select[name="category"]', "1");
      await page.fill('input[name="subject"]', "請求書が届かない");
      await page.fill('textarea[name="text"]', INQUIRY);
      await page.setInputFiles('input[name="files"]', {
        name: "注文書.pdf",
        mimeType: "application/pdf",
        buffer: Buffer.from("%PDF-1.4 test"),
      });
      if (saveDocs) {
        await Deno.mkdir(docsDir, { recursive: true });
        await page.screenshot({ path: `${docsDir}/inquiry_form.png`, fullPage: true });
      }
      await Promise.all([
        page.waitForURL((u) => u.pathname.startsWith("/inquiry/thanks/")),
        page.click('form[action="/inquiry/support"] button[type="submit"]'),
      ]);
      const number = Number(await page.locator("#inquiry-number").innerText());
      assert.equal(number, 1001);

      // 2. The relay receives the confirmation and the agents' notification.
      const mails: CapturedMail[] = [];
      while (mails.length < 2) mails.push(await within(sink.next(), 10_000, "confirmation mails"));
      const toCustomer = mails.find((m) => m.to.includes(CUSTOMER.email));
      const toAgents = mails.find((m) => m.to.includes(ADMIN.email));
      assert.ok(toCustomer && toAgents, `mails went to ${mails.map((m) => m.to)}`);
      const confirmation = await simpleParser(toCustomer.raw);
      assert.equal(confirmation.headers.get("auto-submitted"), "auto-replied");
      assert.ok(confirmation.subject?.includes(`[#${number}]`), `subject ${confirmation.subject}`);
      const link = new RegExp(`${base}/c/[A-Za-z0-9_-]{43}`).exec(confirmation.text ?? "")?.[0];
      assert.ok(link, `no customer link in: ${confirmation.text}`);
      const notification = await simpleParser(toAgents.raw);
      const deepLink = `${base}/tickets/${number}?focus=reply#reply`;
      assert.ok(notification.text?.includes(deepLink), `no deep link in: ${notification.text}`);

      // 3. The customer opens the link from the mail and replies with a file.
      await page.goto(link);
      const conversation = page.locator(".customer-conversation");
      assert.ok((await conversation.innerText()).includes("先月分の請求書が届いていません。"));
      assert.ok((await conversation.innerText()).includes("注文書.pdf"));
      await page.fill('textarea[name="text"]', CUSTOMER_REPLY);
      await page.setInputFiles('input[name="files"]', {
        name: "宛先.txt",
        mimeType: "text/plain",
        buffer: Buffer.from("経理部 山田"),
      });
      await Promise.all([
        page.waitForURL((u) => u.searchParams.get("sent") === "1"),
        page.click('#reply button[type="submit"]'),
      ]);
      assert.match(await page.locator('p[role="status"]').innerText(), /返信を送信しました/);
      assert.ok((await conversation.innerText()).includes(CUSTOMER_REPLY));
      assert.deepEqual(scripts, [], "customer pages loaded JavaScript");

      // 4. The agent follows the deep link, signs in, and lands on the ticket with the reply.
      await page.goto(deepLink);
      assert.equal(new URL(page.url()).pathname, "/login");
      await page.fill('input[name="email"]', ADMIN.email);
      await page.fill('input[name="password"]', ADMIN.password);
      await Promise.all([
        page.waitForURL((u) => u.pathname === `/tickets/${number}`),
        page.click('form[action="/login"] button[type="submit"]'),
      ]);
      // The deep link survived the login form: the cursor is in the reply box (no JS needed).
      assert.equal(
        await page.evaluate(() => (document.activeElement as HTMLTextAreaElement | null)?.name),
        "text",
      );
      const ticket = await page.locator(".conversation").innerText();
      assert.ok(ticket.includes(CUSTOMER_REPLY), "the customer's reply is not on the ticket");
      assert.ok(ticket.includes("宛先.txt"), "the reply's attachment is not on the ticket");
      assert.match(await page.locator(".ticket-head .badge").first().innerText(), /未対応/);

      // 5. The agent answers; the mail's footer carries a fresh link to the customer's page.
      await page.fill('textarea[name="text"]', AGENT_REPLY);
      await Promise.all([
        page.waitForURL((u) => u.pathname === `/tickets/${number}`),
        page.click(`form[action="/tickets/${number}/reply"] button[type="submit"]`),
      ]);
      const answer = await simpleParser((await within(sink.next(), 10_000, "the reply")).raw);
      const footerLink = new RegExp(`${base}/c/[A-Za-z0-9_-]{43}`).exec(answer.text ?? "")?.[0];
      assert.ok(footerLink, `no customer link in the reply: ${answer.text}`);
      scripts.length = 0;
      await page.goto(footerLink);
      assert.ok((await conversation.innerText()).includes(AGENT_REPLY.split("\n")[0]));
      assert.match(await page.locator("#customer-status").innerText(), /ご返信待ち/);
      assert.deepEqual(scripts, [], "the customer page loaded JavaScript");
      if (saveDocs) await page.screenshot({ path: `${docsDir}/customer_page.png`, fullPage: true });
    } finally {
      await chromium?.close();
      await running?.stop();
      await sink.close();
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    }
  },
});
