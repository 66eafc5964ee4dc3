/**
 * End to end, the team: an admin invites an agent from 担当者管理, the invitation arrives at the
 * relay, the agent sets a password through its link and signs in, is assigned a ticket (finds it
 * in 自分の担当), writes a note that mentions the admin, and transfers the ticket with a memo.
 */
import assert from "node:assert/strict";
// @ts-types="@types/mailparser"
import { simpleParser } from "mailparser";
import type { Page } from "playwright-core";
import { buildIslands } from "../../islands/build.ts";
import { startServices } from "../../server.ts";
import { rawMail, sendRaw, startSmtpSink, testConfig } from "../helpers.ts";
import { findChromium, launchChromium, signIn } from "./chromium.ts";
import { listNotifications } from "../../db/notifications.ts";

const chromiumPath = findChromium();
const requireBrowser = Deno.env.get("MADOGUCHI_REQUIRE_BROWSER") === "1";
const ADMIN = { email: "admin@example.test", password: "correct horse battery" };
const AGENT = { email: "hanako@example.test", name: "花子", password: "hanako's new password" };
const MEMO = "請求の件は管理者に引き継ぎます";

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

async function submit(page: Page, selector: string) {
  await Promise.all([page.waitForEvent("load"), page.click(selector)]);
}

Deno.test({
  name: "e2e team: invite, set a password, get assigned, note with a mention, transfer with a memo",
  ignore: !chromiumPath && !requireBrowser,
  async fn() {
    assert.ok(chromiumPath, "No chromium found, and MADOGUCHI_REQUIRE_BROWSER=1 requires one");
    const dataDir = await Deno.makeTempDir({ prefix: "madoguchi-e2e-team-" });
    const shots = Deno.env.get("MADOGUCHI_TEAM_SHOTS");
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
      await sendRaw(
        running.smtp.port,
        { from: "taro@example.com", to: ["support@example.test"] },
        rawMail({
          From: "taro@example.com",
          To: "support@example.test",
          Subject: "請求書の再発行",
          "Message-ID": `<team.${crypto.randomUUID()}@example.com>`,
        }, "再発行をお願いします"),
      );

      chromium = await launchChromium(chromiumPath, { locale: "ja-JP" });
      const page = chromium.context.pages()[0] ?? await chromium.context.newPage();
      page.setDefaultTimeout(10_000);
      const pageErrors: string[] = [];
      page.on("pageerror", (e) => pageErrors.push(String(e)));

      // 1. The admin invites 花子 from 担当者管理.
      await signIn(page, base, ADMIN);
      await page.goto(`${base}/admin`);
      await Promise.all([page.waitForEvent("load"), page.click('a[href="/admin/agents"]')]);
      const invite = 'form[action="/admin/agents"]';
      await page.fill(`${invite} input[name="name"]`, AGENT.name);
      await page.fill(`${invite} input[name="email"]`, AGENT.email);
      await page.check(`${invite} input[name="department_ids"]`);
      await submit(page, `${invite} button[type="submit"]`);
      assert.match(await page.locator("p.notice").innerText(), /招待メールを送信しました/);
      if (shots) await page.screenshot({ path: `${shots}/agents.png`, fullPage: true });

      // 2. The invitation reaches the relay with a one-time link.
      const mail = await simpleParser((await sink.next()).raw);
      const link = mail.text?.match(/http\S+\/invite\/\S+/)?.[0];
      assert.ok(link, `no link in ${mail.text}`);

      // 3. The admin assigns the ticket to 花子.
      await page.goto(`${base}/?status=all`);
      const number = Number(
        await page.locator("tr[data-ticket]").first().getAttribute("data-ticket"),
      );
      await page.goto(`${base}/tickets/${number}`);
      await page.selectOption('#assign select[name="assignee_id"]', { label: AGENT.name });
      await submit(page, '#assign button[type="submit"]:not([value])');
      await submit(page, 'form[action="/logout"] button');

      // 4. 花子 sets her password through the link, then signs in; the link is spent.
      await page.goto(link);
      await page.fill('input[name="password"]', AGENT.password);
      await submit(page, 'form button[type="submit"]');
      assert.equal(new URL(page.url()).pathname, "/login");
      assert.equal((await page.goto(link))?.status(), 404);
      await signIn(page, base, AGENT);

      // 5. The ticket is in 自分の担当.
      await page.goto(`${base}/?status=all&assignee=me`);
      assert.equal(await page.locator(`tr[data-ticket="${number}"]`).count(), 1);
      assert.match(
        await page.locator(`tr[data-ticket="${number}"] td.assignee`).innerText(),
        /花子/,
      );

      // 6. A note mentioning the admin, then a transfer to them with a memo.
      await page.goto(`${base}/tickets/${number}`);
      const adminName = ADMIN.email.split("@")[0];
      await page.fill('#note textarea[name="note"]', `@${adminName} 確認をお願いします`);
      await submit(page, '#note button[type="submit"]');
      assert.match(await page.locator(".conversation").innerText(), /確認をお願いします/);
      await page.click(".team-forms summary");
      await page.selectOption('#transfer select[name="assignee_id"]', { label: adminName });
      await page.fill('#transfer textarea[name="memo"]', MEMO);
      await submit(page, '#transfer button[type="submit"]');
      assert.match(await page.locator(".timeline").innerText(), new RegExp(MEMO));
      if (shots) {
        await page.screenshot({ path: `${shots}/ticket.png`, fullPage: true });
        await page.setViewportSize({ width: 390, height: 844 });
        await page.screenshot({ path: `${shots}/ticket-390.png`, fullPage: true });
      }

      // 7. The admin was notified of the mention and the transfer; the transfer also by mail.
      const adminId = (await running.store.db.selectFrom("agents").select("id")
        .where("email", "=", ADMIN.email).executeTakeFirstOrThrow()).id;
      const kinds = (await listNotifications(running.store.db, adminId)).map((n) => n.kind);
      assert.deepEqual(kinds.sort(), ["note.mention", "ticket.transferred"]);
      const transferMail = await simpleParser((await sink.next()).raw);
      assert.ok(transferMail.text?.includes(MEMO), String(transferMail.text));
      assert.ok(
        transferMail.text?.includes(`${base}/tickets/${number}`),
        String(transferMail.text),
      );
      assert.deepEqual(pageErrors, []);
    } finally {
      await chromium?.close();
      await running?.stop();
      await sink.close();
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    }
  },
});
