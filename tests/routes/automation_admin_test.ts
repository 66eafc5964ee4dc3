/** Reminder and after-hours settings, and follow-up dates, through app.request(). */
import assert from "node:assert/strict";
import { createDepartment, findDepartmentBySlug } from "../../db/departments.ts";
import { loadReminderPolicy } from "../../db/reminder_settings.ts";
import { loadAfterHoursPolicy } from "../../db/after_hours.ts";
import { ingestMessage } from "../runtime.ts";
import { findFollowUp } from "../../services/tickets.ts";
import { rawMail } from "../helpers.ts";
import { setupCustomerApp } from "./customer_helpers.ts";

type App = Awaited<ReturnType<typeof setupCustomerApp>>;

function post(t: App, path: string, cookie: string, data: Record<string, string>) {
  return t.request(path, { method: "POST", body: new URLSearchParams(data), cookie });
}

Deno.test("automation: reminder and after-hours settings are 404 for agents who are not admins", async () => {
  const t = await setupCustomerApp();
  try {
    const agent = await t.login("agent@example.test", "another long password");
    for (const path of ["/admin/reminders", "/admin/reminders/1", "/admin/after-hours/1"]) {
      assert.equal((await t.request(path, { cookie: agent })).status, 404, path);
    }
    assert.equal((await post(t, "/admin/reminders/1", agent, { enabled: "on" })).status, 404);
    assert.equal((await post(t, "/admin/after-hours/1", agent, { auto_reply: "on" })).status, 404);
  } finally {
    await t.cleanup();
  }
});

Deno.test("automation: an admin switches reminders on; impossible numbers and typos are refused", async () => {
  const t = await setupCustomerApp();
  try {
    const cookie = await t.login();
    const support = (await findDepartmentBySlug(t.store.db, "support"))!;
    const list = await t.request("/admin/reminders", { cookie });
    assert.equal(list.status, 200);
    assert.match(await list.text(), /オフ/);

    const form = {
      enabled: "on",
      after_days: "0",
      max_reminders: "2",
      final_after_days: "7",
      final_action: "reopen",
      "tpl.ja.subject": "ご返信のお願い {{nmae}}",
      "tpl.ja.body": "",
      "tpl.en.subject": "",
      "tpl.en.body": "",
    };
    const bad = await post(t, `/admin/reminders/${support.id}`, cookie, form);
    assert.equal(bad.status, 422);
    const html = await bad.text();
    assert.match(html, /範囲外の値です/);
    assert.match(html, /使えない差し込みがあります: \{\{nmae\}\}/);
    assert.match(html, /value="ご返信のお願い \{\{nmae\}\}"/, "what the admin typed is kept");
    assert.equal((await loadReminderPolicy(t.store.db, support.id)).enabled, false);

    const ok = await post(t, `/admin/reminders/${support.id}`, cookie, {
      ...form,
      after_days: "3",
      "tpl.ja.subject": "ご返信のお願い {{subject}}",
    });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get("location"), `/admin/reminders/${support.id}?saved=1`);
    const saved = await loadReminderPolicy(t.store.db, support.id);
    assert.deepEqual(
      [saved.enabled, saved.afterDays, saved.maxReminders, saved.finalAfterDays, saved.finalAction],
      [true, 3, 2, 7, "reopen"],
    );
    assert.equal(saved.templates.ja?.subject, "ご返信のお願い {{subject}}");
    assert.equal(saved.templates.en, undefined, "an empty language keeps the default");
    const summary = await (await t.request("/admin/reminders", { cookie })).text();
    assert.match(summary, /3営業日ごとに最大2回、その7営業日後に「未対応に戻す」/);
  } finally {
    await t.cleanup();
  }
});

Deno.test("automation: an admin turns on after-hours replies and routes night mail to another department", async () => {
  const t = await setupCustomerApp();
  try {
    const cookie = await t.login();
    const support = (await findDepartmentBySlug(t.store.db, "support"))!;
    const night = await t.store.writeTx((tx) =>
      createDepartment(tx, { name: "夜間窓口", slug: "night" }, Date.now())
    );
    const page = await t.request(`/admin/after-hours/${support.id}`, { cookie });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /営業時間が設定されていません/);

    const self = await post(t, `/admin/after-hours/${support.id}`, cookie, {
      auto_reply: "on",
      on_duty: String(support.id),
    });
    assert.equal(self.status, 422, "a department cannot be its own on-duty department");
    const ok = await post(t, `/admin/after-hours/${support.id}`, cookie, {
      auto_reply: "on",
      on_duty: String(night.id),
      "tpl.en.subject": "Closed now {{tag}}",
      "tpl.en.body": "Back at {{next_opening}}.",
    });
    assert.equal(ok.status, 303);
    const saved = await loadAfterHoursPolicy(t.store.db, support.id);
    assert.equal(saved.autoReply, true);
    assert.equal(saved.onDutyDepartmentId, night.id);
    assert.deepEqual(saved.templates, {
      en: { subject: "Closed now {{tag}}", body: "Back at {{next_opening}}." },
    });
  } finally {
    await t.cleanup();
  }
});

Deno.test("follow-up: an agent sets a date in their own zone, sees it on the ticket and clears it", async () => {
  const clock = { now: Date.UTC(2026, 2, 1) };
  const t = await setupCustomerApp({ clock });
  try {
    await ingestMessage(
      t.store,
      new TextEncoder().encode(rawMail({
        From: "taro@example.com",
        To: "support@example.test",
        Subject: "あとで",
        "Message-ID": "<later@example.com>",
      }, "本文")),
      { mailFrom: "taro@example.com", rcptTo: ["support@example.test"], remoteAddress: null },
    );
    await t.store.writeTx((tx) =>
      tx.updateTable("agents").set({ time_zone: "America/New_York" })
        .where("email", "=", "agent@example.test").execute()
    );
    const cookie = await t.login("agent@example.test", "another long password");
    const set = await post(t, "/tickets/1001/follow-up", cookie, {
      date: "2026-03-10",
      time: "10:00",
    });
    assert.equal(set.status, 303);
    assert.equal(set.headers.get("location"), "/tickets/1001#follow-up");
    // 10:00 in New York on 10 March (EDT, UTC−4) is 14:00 UTC.
    assert.equal(await findFollowUp(t.store.db, 1), Date.UTC(2026, 2, 10, 14, 0));
    const page = await (await t.request("/tickets/1001", { cookie })).text();
    assert.match(page, /value="2026-03-10"/);
    assert.match(page, /value="10:00"/);
    assert.match(page, /America\/New_York/);

    const past = await post(t, "/tickets/1001/follow-up", cookie, {
      date: "2026-02-01",
      time: "10:00",
    });
    assert.equal(past.headers.get("location"), "/tickets/1001?follow_up=past#follow-up");
    const refused = await (await t.request("/tickets/1001?follow_up=past", { cookie })).text();
    assert.match(refused, /Past|過去/);
    const bad = await post(t, "/tickets/1001/follow-up", cookie, {
      date: "2026-02-30",
      time: "10:00",
    });
    assert.equal(bad.headers.get("location"), "/tickets/1001?follow_up=invalid#follow-up");
    assert.equal(await findFollowUp(t.store.db, 1), Date.UTC(2026, 2, 10, 14, 0), "unchanged");

    const clear = await post(t, "/tickets/1001/follow-up/clear", cookie, {});
    assert.equal(clear.status, 303);
    assert.equal(await findFollowUp(t.store.db, 1), null);
    const kinds = await t.store.db.selectFrom("events").select("kind")
      .where("kind", "like", "followup.%").orderBy("id").execute();
    assert.deepEqual(kinds.map((k) => k.kind), ["followup.set", "followup.cleared"]);
  } finally {
    await t.cleanup();
  }
});
