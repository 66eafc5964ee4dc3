/**
 * The agent workspace in a real browser at a desk (1366×900) and a phone (390×844): three panes
 * beside an open ticket, no horizontal scrolling, 40 px tap targets on the phone, no serious axe
 * violation. Its screenshots go to a temporary folder, or with MADOGUCHI_SCREENSHOTS=1 to
 * docs/screenshots/workspace_*.png, which the README shows.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { buildIslands } from "../../islands/build.ts";
import { startServices } from "../../server.ts";
import { upsertTag } from "../../db/tags.ts";
import { rawMail, sendRaw, testConfig } from "../helpers.ts";
import { findChromium, launchChromium } from "./chromium.ts";
import { axeProblems } from "./axe.ts";

const chromiumPath = findChromium();
const requireBrowser = Deno.env.get("MADOGUCHI_REQUIRE_BROWSER") === "1";
const DOCS = new URL("../../docs/screenshots/", import.meta.url);

const MAILS: [string, string, string][] = [
  [
    "山田 太郎 <taro@example.com>",
    "請求書の再発行をお願いします",
    "先月分の請求書が見当たりません。",
  ],
  [
    "佐藤 花子 <hanako@example.jp>",
    "ログインできません",
    "パスワードを再設定してもログインできません。",
  ],
  ["Acme Support <ops@acme.example>", "API rate limits for our integration", "Hello team,"],
  [
    "鈴木 一郎 <ichiro@example.net>",
    "配送先の変更について",
    "注文番号 A-1029 の配送先を変更したいです。",
  ],
  ["山田 太郎 <taro@example.com>", "領収書の宛名を変更したい", "宛名を会社名にしてください。"],
  [
    "高橋 美咲 <misaki@example.org>",
    "解約の手続きを教えてください",
    "来月で解約したいと考えています。",
  ],
  [
    "山田 太郎 <taro@example.com>",
    "Re: 請求書の再発行をお願いします（追加のご質問）",
    "PDF でいただけますか。",
  ],
];

/** Horizontal overflow of the page, in px (0: none). */
function overflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - globalThis.innerWidth);
}

/** Visible controls matching `selector` smaller than 40×40 px. */
async function smallTargets(page: Page, selector: string): Promise<string[]> {
  return await page.$$eval(selector, (els) =>
    els.flatMap((el) => {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) return []; // hidden on this width
      if (r.height >= 40 && r.width >= 40) return [];
      const name = (el.textContent ?? "").trim().slice(0, 20) || el.getAttribute("name") || "";
      return [
        `${el.tagName.toLowerCase()} "${name}" ${Math.round(r.width)}×${Math.round(r.height)}`,
      ];
    }));
}

Deno.test({
  name: "e2e: workspace — three panes at 1366 px, one usable column at 390 px, screenshots",
  ignore: !chromiumPath && !requireBrowser,
  async fn() {
    assert.ok(chromiumPath, "No chromium found, and MADOGUCHI_REQUIRE_BROWSER=1 requires one");
    const dir = await Deno.makeTempDir({ prefix: "madoguchi-workspace-" });
    const shots = Deno.env.get("MADOGUCHI_SCREENSHOTS") === "1" ? DOCS.pathname : `${dir}/`;
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
      for (const [from, subject, body] of MAILS) {
        await sendRaw(
          running.smtp.port,
          { from: from.replace(/.*<|>/g, ""), to: ["support@example.test"] },
          rawMail({ From: from, Subject: subject }, body),
        );
      }
      await running.store.writeTx(async (tx) => {
        const urgent = await upsertTag(tx, { name: "請求", color: "#bf3989" }, Date.now());
        const vip = await upsertTag(tx, { name: "VIP", color: "#0969da" }, Date.now());
        await tx.insertInto("ticket_tags").values([
          { ticket_id: 1, tag_id: urgent.id },
          { ticket_id: 1, tag_id: vip.id },
          { ticket_id: 5, tag_id: urgent.id },
        ]).execute();
      });
      const base = `http://127.0.0.1:${running.httpPort}`;
      const page = await browser.context.newPage();
      await page.goto(`${base}/login`);
      await page.fill("input[name=email]", "admin@example.test");
      await page.fill("input[name=password]", "correct horse battery");
      await Promise.all([page.waitForURL(`${base}/`), page.click("button[type=submit]")]);
      // The getting-started list is another test's subject; the screenshots show the desk at work.
      await Promise.all([
        page.waitForURL(`${base}/`),
        page.click('form[action="/onboarding/hide"] button'),
      ]);

      // Desk: navigation and the list, full width.
      const problems: string[] = [];
      assert.equal(await overflow(page), 0, "inbox at 1366 px scrolls sideways");
      assert.match(await page.textContent(".ws-more") ?? "", /請求\s*2/);
      const updated = page.locator("tr[data-ticket='1001'] td.updated time");
      assert.match(await updated.textContent() ?? "", /^(たった今|\d+分前)$/);
      assert.ok(await updated.getAttribute("title"), "the exact time is on hover");
      await page.screenshot({ path: `${shots}workspace_inbox.png` });
      problems.push(...await axeProblems(page, "/ (1366)"));

      // Open a ticket from すべて: that list stays beside it (replying moves the ticket out of
      // 未対応), with the open row marked, and the side panel.
      await Promise.all([
        page.waitForURL(/status=all/),
        page.click('.ws-folders a[href*="status=all"]'),
      ]);
      await Promise.all([
        page.waitForURL(`${base}/tickets/1001`),
        page.click("tr[data-ticket='1001'] td.subject a"),
      ]);
      await page.fill(
        "textarea[name=text]",
        "山田様\n\nお問い合わせありがとうございます。PDF を添付してお送りします。",
      );
      await Promise.all([
        page.waitForURL(/\/tickets\/1001/),
        page.click(`form[action="/tickets/1001/reply"] button[type="submit"]:not([formaction])`),
      ]);
      await page.fill("#note textarea[name=note]", "経理に確認済み。来週から新しい宛名で発行。");
      await Promise.all([page.waitForURL(/\/tickets\/1001/), page.click("#note button")]);
      await page.goto(`${base}/tickets/1001`);
      const box = (sel: string) => page.locator(sel).first().boundingBox();
      const [nav, list, main, side] = await Promise.all(
        [".ws-folders", ".ws-list", ".ticket > .conversation", ".ticket-side"].map(box),
      );
      assert.ok(nav && list && main && side, "every pane is shown at 1366 px");
      assert.ok(nav.x < list.x && list.x < main.x && main.x < side.x, "panes side by side");
      assert.equal(await page.getAttribute("tr.open-row", "data-ticket"), "1001");
      const card = await page.textContent(".customer-card") ?? "";
      assert.match(card, /領収書の宛名を変更したい/);
      assert.doesNotMatch(card, /請求書の再発行をお願いします(?!（)/, "not the open ticket itself");
      assert.equal(await overflow(page), 0, "ticket at 1366 px scrolls sideways");
      await page.screenshot({ path: `${shots}workspace_ticket.png` });
      problems.push(...await axeProblems(page, "/tickets/1001 (1366)"));

      // Phone: one column, nothing wider than the screen, 40 px targets for the main controls.
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${base}/`);
      assert.equal(await overflow(page), 0, "inbox at 390 px scrolls sideways");
      const inboxTargets = await smallTargets(
        page,
        ".ws-folders a, .ws-list td.subject a, .ws-list .list-tools button, .ws-list select, .ws-list input[type=search]",
      );
      assert.deepEqual(inboxTargets, []);
      await page.screenshot({ path: `${shots}workspace_inbox_phone.png` });
      problems.push(...await axeProblems(page, "/ (390)"));

      await page.goto(`${base}/tickets/1001`);
      assert.equal(await overflow(page), 0, "ticket at 390 px scrolls sideways");
      assert.equal(await page.locator(".ws-list").isVisible(), false, "the ticket alone");
      const ticketTargets = await smallTargets(
        page,
        ".ticket-head a.back, .ticket-meta button, #reply-form button, #reply-form select, " +
          ".ticket-side form.prop select, .ticket-side form.prop button",
      );
      assert.deepEqual(ticketTargets, []);
      await page.screenshot({ path: `${shots}workspace_ticket_phone.png` });
      problems.push(...await axeProblems(page, "/tickets/1001 (390)"));
      assert.deepEqual(problems, []);
    } finally {
      await browser.close();
      await running.stop();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
