/**
 * The dashboard and a month's report in a real browser, at desktop and phone widths, on a month
 * of generated traffic (business hours, SLA policy, replies by three agents, a few reopened
 * tickets): the charts draw, every table is there, nothing overflows the phone's width. With
 * MADOGUCHI_SCREENSHOTS=1 it writes docs/screenshots/dashboard.png and report.png.
 */
import assert from "node:assert/strict";
import { createApp } from "../../routes/mod.tsx";
import { createAgent } from "../runtime.ts";
import { assignDepartmentSchedule, insertSchedule } from "../../db/schedules.ts";
import { saveSlaPolicy } from "../../db/sla_policies.ts";
import { createTicketForCustomer } from "../../services/customer_tickets.ts";
import { replyToCustomer } from "../../services/replies.ts";
import { changeStatus } from "../../services/tickets.ts";
import { agent, run, testRuntime } from "../runtime.ts";
import { tempStore, testConfig } from "../helpers.ts";
import { findChromium, launchChromium, signIn } from "./chromium.ts";
import { setTicketCategory } from "../../db/report_queries.ts";
import { replaceTicketTags, upsertTag } from "../../db/tags.ts";
import { composeStampFor } from "../../services/handling_time.ts";
import { subscribeReport } from "../../services/report_schedules.ts";

const chromiumPath = findChromium();
const requireBrowser = Deno.env.get("MADOGUCHI_REQUIRE_BROWSER") === "1";
const NOW = Date.parse("2026-05-29T16:30:00+09:00");
const DAY = 86_400_000;
const HOUR = 3_600_000;
const CATEGORIES = ["製品・サービスについて", "ご請求・お支払いについて", "その他"];
const SUBJECTS = [
  "請求書の再発行について",
  "ログインできません",
  "配送状況を教えてください",
  "解約の手続きについて",
  "領収書の宛名変更",
  "商品が届いていません",
  "パスワードの再設定",
  "お見積りのお願い",
  "返品・交換について",
  "契約プランの変更",
  "Invoice copy request",
];

function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A month of tickets through the services, each at its own instant. */
async function seedMonth(store: Awaited<ReturnType<typeof tempStore>>["store"]) {
  const rand = prng(7);
  const agents = [];
  for (
    const [name, email, role] of [["管理者", "admin@example.test", "admin"], [
      "佐藤",
      "sato@example.test",
      "agent",
    ], ["鈴木", "suzuki@example.test", "agent"]] as const
  ) {
    agents.push(await createAgent(store, { email, name, password: "correct horse battery", role }));
  }
  await store.writeTx(async (tx) => {
    const nine = [{ start: "09:00", end: "18:00" }];
    const id = await insertSchedule(tx, {
      name: "平日",
      timeZone: "Asia/Tokyo",
      weekly: { 1: nine, 2: nine, 3: nine, 4: nine, 5: nine },
      holidays: [{ kind: "range", from: "2026-05-03", to: "2026-05-06" }],
    }, 0);
    await assignDepartmentSchedule(tx, 1, id);
    await saveSlaPolicy(tx, 1, "normal", {
      firstResponseMinutes: 120,
      nextResponseMinutes: null,
      resolutionMinutes: 960,
      warning: { kind: "percent", value: 80 },
      businessHoursOnly: true,
      actions: { warning: [], breach: [] },
    }, 0);
  });
  const rt = testRuntime(store);
  const start = Date.parse("2026-05-01T00:00:00+09:00");
  const tags = await store.writeTx(async (tx) => [
    await upsertTag(tx, { name: "請求", color: "" }, 0),
    await upsertTag(tx, { name: "不具合", color: "" }, 0),
    await upsertTag(tx, { name: "要フォロー", color: "" }, 0),
  ]);
  await run(rt, (ctx) => subscribeReport(ctx, { frequency: "weekly", sendHour: 8, filter: {} }), {
    actor: agent({ id: agents[0].id, name: "管理者", role: "admin" }),
    now: NOW,
  });
  for (let i = 0; i < 160; i++) {
    // Mostly weekday business hours, some evenings and weekends.
    let day = Math.floor(rand() * 29);
    // Fewer on weekends (2026-05-02 is a Saturday).
    if ((day + 4) % 7 >= 5 && rand() < 0.7) day = Math.max(0, day - 2);
    let created = start + day * DAY +
      Math.floor((rand() < 0.8 ? 9 + rand() * 9 : rand() * 24) * HOUR);
    if (created > NOW - HOUR) created = NOW - 2 * HOUR;
    const channel = rand() < 0.7 ? "mail" : "web";
    const ticket = await run(rt, (ctx) =>
      createTicketForCustomer(ctx, {
        customer: { email: `c${i % 90}@example.jp`, name: `お客様${i % 90}` },
        subject: SUBJECTS[Math.floor(rand() ** 1.6 * SUBJECTS.length)],
        text: "お問い合わせです。",
        channel,
      }), { now: created });
    // Web inquiries come with a category; some tickets get tags.
    const category = channel === "web" ? CATEGORIES[Math.floor(rand() ** 1.4 * 3)] : null;
    const tag = rand() < 0.4 ? tags[Math.floor(rand() ** 1.5 * tags.length)] : null;
    await store.writeTx(async (tx) => {
      if (category) await setTicketCategory(tx, ticket.id, category);
      if (tag) await replaceTicketTags(tx, ticket.id, [tag.id]);
    });
    if (rand() < 0.1) continue;
    const who = agents[1 + Math.floor(rand() * 2)];
    const replied = created + Math.floor((0.2 + rand() * rand() * 30) * HOUR);
    if (replied > NOW) continue;
    const status = rand() < 0.7 ? "resolved" : "pending";
    // The reply form was opened a few minutes before the send (handling time).
    const composeStamp = await composeStampFor(store.db, {
      agentId: who.id,
      ticketId: ticket.id,
      now: replied - Math.floor((1 + rand() * rand() * 20) * 60_000),
    });
    await run(
      rt,
      (ctx) => replyToCustomer(ctx, { ticketId: ticket.id, text: "回答", status, composeStamp }),
      { actor: agent({ id: who.id, role: "agent" }), now: replied },
    );
    if (status === "resolved" && rand() < 0.1 && replied + 2 * HOUR < NOW) {
      await run(rt, (ctx) => changeStatus(ctx, { ticketId: ticket.id, status: "open" }), {
        actor: agent({ id: who.id }),
        now: replied + HOUR,
      });
    }
  }
}

Deno.test({
  name: "e2e: the dashboard and a month's report render at desktop and phone widths",
  ignore: !chromiumPath && !requireBrowser,
  async fn() {
    assert.ok(chromiumPath, "No chromium found, and MADOGUCHI_REQUIRE_BROWSER=1 requires one");
    const db = await tempStore();
    const saveDocs = Deno.env.get("MADOGUCHI_SCREENSHOTS") === "1";
    const docsDir = new URL("../../docs/screenshots/", import.meta.url).pathname;
    const app = createApp({
      store: db.store,
      config: testConfig(db.dir),
      outbox: { wake: () => {} },
      now: () => NOW,
    });
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch);
    const base = `http://localhost:${server.addr.port}`;
    let chromium: Awaited<ReturnType<typeof launchChromium>> | undefined;
    try {
      await seedMonth(db.store);
      chromium = await launchChromium(chromiumPath!, {
        locale: "ja-JP",
        viewport: { width: 1366, height: 900 },
      });
      const page = chromium.context.pages()[0] ?? await chromium.context.newPage();
      page.setDefaultTimeout(10_000);
      await signIn(page, base, { email: "admin@example.test", password: "correct horse battery" });

      await page.goto(`${base}/dashboard`);
      assert.match(await page.locator("h1").innerText(), /ダッシュボード/);
      assert.ok(await page.locator(".kpi").count() >= 4);
      if (saveDocs) await page.screenshot({ path: `${docsDir}/dashboard.png`, fullPage: true });

      await page.goto(`${base}/reports?period=month`);
      const heat = page.locator("svg.heatmap rect");
      assert.equal(await heat.count(), 7 * 24);
      const bars = page.locator("#by-day-title");
      assert.equal(await bars.count(), 1);
      const received = Number(await page.locator(".kpi-value").first().innerText());
      assert.equal(received, 160);
      if (saveDocs) await page.screenshot({ path: `${docsDir}/report.png`, fullPage: true });
      assert.ok(await page.locator("#subscriptions tbody tr").count() === 1, "the subscription");

      // The received figure opens the inbox with the month as a creation range: 160 tickets.
      await Promise.all([
        page.waitForURL((u) => u.searchParams.get("created_from") === "2026-05-01"),
        page.locator(".kpi-value").first().click(),
      ]);
      assert.match(await page.locator(".pager").innerText(), /\/ 160/);
      assert.equal(await page.locator(".filter-chips .chip").count(), 1);
      const inboxUrl = page.url();

      await page.setViewportSize({ width: 390, height: 844 });
      for (
        const path of [
          "/dashboard",
          "/reports?period=month",
          new URL(inboxUrl).pathname + new URL(inboxUrl).search,
        ]
      ) {
        await page.goto(`${base}${path}`);
        const overflow = await page.evaluate(() =>
          document.documentElement.scrollWidth - document.documentElement.clientWidth
        );
        assert.ok(overflow <= 1, `${path} overflows a 390 px screen by ${overflow} px`);
      }
      if (saveDocs) {
        await page.goto(`${base}/reports?period=month`);
        await page.screenshot({ path: `${docsDir}/report_phone.png`, fullPage: true });
      }
    } finally {
      await chromium?.close();
      await server.shutdown();
      await db.cleanup();
    }
  },
});
