/** The administrator's getting-started list on the inbox. */
import assert from "node:assert/strict";
import { setupCustomerApp } from "./customer_helpers.ts";
import { insertSchedule } from "../../db/schedules.ts";
import { ingestMessage, queueReply } from "../runtime.ts";
import { rawMail } from "../helpers.ts";

Deno.test("onboarding: a new admin sees the steps; agents do not; each step ticks as it is done", async () => {
  const t = await setupCustomerApp();
  try {
    const admin = await t.login("admin@example.test", "correct horse battery");
    const page = await (await t.request("/", { cookie: admin })).text();
    assert.match(page, /はじめに/);
    assert.match(page, /support@example\.test 宛てのメールを SMTP localhost:0 に届く/);
    assert.equal(page.match(/<li class="done">/g)?.length ?? 0, 1, "a colleague exists already");

    const agent = await t.login("agent@example.test", "another long password");
    assert.doesNotMatch(await (await t.request("/", { cookie: agent })).text(), /はじめに/);

    await ingestMessage(
      t.store,
      new TextEncoder().encode(rawMail({ From: "taro@example.com", Subject: "テスト" }, "本文")),
      { mailFrom: "taro@example.com", rcptTo: ["support@example.test"], remoteAddress: null },
    );
    await t.store.writeTx((tx) =>
      insertSchedule(tx, {
        name: "平日",
        timeZone: "Asia/Tokyo",
        weekly: { 1: [{ start: "09:00", end: "18:00" }] },
        holidays: [],
      }, 0)
    );
    const after = await (await t.request("/", { cookie: admin })).text();
    assert.equal(after.match(/<li class="done">/g)?.length, 3);
    // A reply that the relay took.
    await queueReply(t.store, { relayConfigured: true }, {
      ticketId: 1,
      agent: { id: 1, name: "管理者" },
      text: "テストの返信です",
      status: "pending",
    });
    await t.store.writeTx((tx) => tx.updateTable("outbox").set({ status: "sent" }).execute());
    assert.doesNotMatch(
      await (await t.request("/", { cookie: admin })).text(),
      /はじめに/,
      "all done: the list is gone",
    );
  } finally {
    await t.cleanup();
  }
});

Deno.test("onboarding: an admin can hide the list in this browser", async () => {
  const t = await setupCustomerApp();
  try {
    const admin = await t.login("admin@example.test", "correct horse battery");
    const res = await t.request("/onboarding/hide", { method: "POST", cookie: admin });
    assert.equal(res.status, 303);
    const cookie = res.headers.get("set-cookie") ?? "";
    assert.match(cookie, /madoguchi_onboarding=hidden/);
    assert.match(cookie, /HttpOnly/);
    const page = await (await t.request("/", {
      cookie: `${admin}; madoguchi_onboarding=hidden`,
    })).text();
    assert.doesNotMatch(page, /はじめに/);
  } finally {
    await t.cleanup();
  }
});
