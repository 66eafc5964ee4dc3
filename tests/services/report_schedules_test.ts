import assert from "node:assert/strict";
import { tempStore } from "../helpers.ts";
import { agent, run, testRuntime } from "../runtime.ts";
import { parseCsv } from "../csv_parse.ts";
import { createTicketForCustomer } from "../../services/customer_tickets.ts";
import { replyToCustomer } from "../../services/replies.ts";
import {
  REPORT_SCHEDULED,
  subscribeReport,
  unsubscribeReport,
} from "../../services/report_schedules.ts";
import { startScheduler } from "../../loops/scheduler.ts";
import { timerHandlers } from "../../loops/timer_handlers.ts";
import { scheduleTimer } from "../../db/timers.ts";
import { parseMessage } from "../../mail/parse.ts";
import { unpackBytes } from "../../db/stored_bytes.ts";
import { nextSendAt, periodBefore } from "../../domain/report/schedule.ts";
import { ForbiddenError } from "../../domain/errors.ts";
import type { Store } from "../../db/client.ts";
import { withLoggingDb } from "../db/list_fixture.ts";

const ZONE = "Asia/Tokyo";
const at = (local: string) => Date.parse(`${local}+09:00`);
const BOSS = agent({ id: 1, name: "Boss", role: "supervisor" });
const AKI = agent({ id: 2, name: "秋", role: "agent" });

/** Mail that belongs to no ticket (the replies of the fixture are left out). */
async function outbox(store: Store) {
  const rows = await store.db.selectFrom("outbox")
    .select(["message_id", "envelope_to", "raw", "raw_encoding"]).where("message_id", "is", null)
    .orderBy("id").execute();
  return await Promise.all(rows.map(async (r) => ({
    messageId: r.message_id,
    to: JSON.parse(r.envelope_to) as string[],
    mail: await parseMessage(await unpackBytes(r.raw, r.raw_encoding)),
  })));
}

/** Two agents (Boss reads English), three tickets in the week of 2026-05-04, one the week after. */
async function fixture() {
  const t = await tempStore();
  await t.store.writeTx(async (tx) => {
    for (
      const [email, name, role, locale] of [
        ["boss@example.test", "Boss", "supervisor", "en"],
        ["aki@example.test", "秋", "agent", "ja"],
      ] as const
    ) {
      await tx.insertInto("agents").values({
        email,
        name,
        password_hash: "x",
        role,
        locale,
        time_zone: null,
        created_at: 0,
      }).execute();
    }
  });
  let now = at("2026-05-01T00:00");
  const rt = testRuntime(t.store, { sender: { timeZone: ZONE }, now: () => now });
  const open = (subject: string, when: number) =>
    run(rt, (ctx) =>
      createTicketForCustomer(ctx, {
        customer: { email: "taro@example.com", name: "太郎" },
        subject,
        text: "お願いします",
        channel: "mail",
      }), { now: when });
  const a = await open("=SUM(A1) 請求書", at("2026-05-04T10:00"));
  await run(rt, (ctx) => replyToCustomer(ctx, { ticketId: a.id, text: "はい", status: "open" }), {
    actor: AKI,
    now: at("2026-05-04T11:00"),
  });
  await open("ログイン", at("2026-05-06T10:00"));
  await open("配送", at("2026-05-10T23:59"));
  await open("翌週", at("2026-05-11T00:00"));
  return {
    ...t,
    rt,
    setNow: (ms: number) => void (now = ms),
  };
}

Deno.test("report schedule: send instants and periods in the team's zone", () => {
  // Sunday 20:00 → Monday 08:00 for weekly; the 1st for monthly; tomorrow for daily.
  const sun = at("2026-05-10T20:00");
  assert.equal(nextSendAt("weekly", 8, sun, ZONE), at("2026-05-11T08:00"));
  assert.equal(nextSendAt("daily", 8, sun, ZONE), at("2026-05-11T08:00"));
  assert.equal(nextSendAt("monthly", 8, sun, ZONE), at("2026-06-01T08:00"));
  // Exactly at the instant: the next one.
  assert.equal(nextSendAt("weekly", 8, at("2026-05-11T08:00"), ZONE), at("2026-05-18T08:00"));
  assert.deepEqual(periodBefore("weekly", at("2026-05-11T08:00"), ZONE), {
    from: "2026-05-04",
    to: "2026-05-10",
  });
  assert.deepEqual(periodBefore("daily", at("2026-05-11T08:00"), ZONE), {
    from: "2026-05-10",
    to: "2026-05-10",
  });
  assert.deepEqual(periodBefore("monthly", at("2026-03-01T08:00"), ZONE), {
    from: "2026-02-01",
    to: "2026-02-28",
  });
  // New York's spring-forward day: 08:00 local is 12:00 UTC after the change, 13:00 before.
  assert.equal(
    nextSendAt("daily", 8, Date.parse("2026-03-07T14:00Z"), "America/New_York"),
    Date.parse("2026-03-08T12:00Z"),
  );
});

Deno.test("report schedule: one mail per period across the boundary, two schedulers and a restart", async () => {
  const t = await fixture();
  const schedulers = [] as ReturnType<typeof startScheduler>[];
  const start = () => {
    const s = startScheduler(t.rt, timerHandlers(), { now: t.rt.now, setTimer: () => () => {} });
    schedulers.push(s);
    return s;
  };
  try {
    t.setNow(at("2026-05-10T20:00"));
    await run(
      t.rt,
      (ctx) => subscribeReport(ctx, { frequency: "weekly", sendHour: 8, filter: {} }),
      { actor: BOSS },
    );
    const a = start();
    const b = start();
    t.setNow(at("2026-05-11T07:59"));
    await Promise.all([a.tick(), b.tick()]);
    assert.equal((await outbox(t.store)).length, 0, "nothing before the hour");

    t.setNow(at("2026-05-11T08:00"));
    await Promise.all([a.tick(), b.tick(), a.tick(), b.tick()]);
    let mails = await outbox(t.store);
    assert.equal(mails.length, 1, "two schedulers ticking at once send one mail");

    // A restart, and the timer forced due again for the same period: still one mail.
    await Promise.all(schedulers.splice(0).map((s) => s.stop()));
    await t.store.writeTx((tx) =>
      scheduleTimer(tx, {
        kind: REPORT_SCHEDULED,
        ticketId: null,
        key: "subscription:1",
        dueAt: at("2026-05-11T08:00"),
        data: { subscriptionId: 1 },
        rearm: true,
        now: at("2026-05-11T08:00"),
      })
    );
    t.setNow(at("2026-05-11T08:05"));
    await start().tick();
    assert.equal((await outbox(t.store)).length, 1, "a period is never mailed twice");

    // The next period.
    t.setNow(at("2026-05-18T08:00"));
    await schedulers[0].tick();
    mails = await outbox(t.store);
    assert.equal(mails.length, 2);

    const [first, second] = mails;
    assert.equal(first.messageId, null);
    assert.deepEqual(first.to, ["boss@example.test"]);
    assert.equal(first.mail.subject, "Weekly report (2026-05-04 – 2026-05-10)");
    assert.match(first.mail.text, /^Hello Boss,/);
    assert.match(first.mail.text, /^Received: 3$/m);
    assert.match(first.mail.text, /^Replies: 1$/m);
    assert.match(first.mail.text, /^ {2}秋: 1 tickets \/ 1 replies$/m);
    assert.match(first.mail.text, /\/reports\?period=custom&from=2026-05-04&to=2026-05-10/);
    assert.equal(first.mail.attachments.length, 1);
    const csv = first.mail.attachments[0];
    assert.equal(csv.filename, "report-2026-05-04_2026-05-10.csv");
    assert.match(csv.contentType, /^text\/csv/);
    assert.deepEqual([...csv.content.slice(0, 3)], [0xef, 0xbb, 0xbf], "UTF-8 BOM");
    const text = new TextDecoder().decode(csv.content.slice(3));
    assert.ok(text.includes("\r\n") && !/[^\r]\n/.test(text), "CRLF line ends only");
    const rows = parseCsv(text);
    assert.deepEqual(rows[0], ["Metric", "Value"]);
    assert.deepEqual(rows.find((r) => r[0] === "Received"), ["Received", "3"]);
    assert.equal(second.mail.subject, "Weekly report (2026-05-11 – 2026-05-17)");
    assert.match(second.mail.text, /^Received: 1$/m);
  } finally {
    await Promise.all(schedulers.map((s) => s.stop()));
    await t.cleanup();
  }
});

Deno.test("report schedule: mail in the subscriber's language; unsubscribing ends it; agents cannot subscribe", async () => {
  const t = await fixture();
  try {
    await t.store.writeTx((tx) =>
      tx.updateTable("agents").set({ role: "admin" }).where("id", "=", 2).execute()
    );
    const admin = agent({ id: 2, name: "秋", role: "admin" });
    t.setNow(at("2026-05-10T20:00"));
    const id = await run(
      t.rt,
      (ctx) =>
        subscribeReport(ctx, { frequency: "daily", sendHour: 7, filter: { channel: "web" } }),
      { actor: admin },
    );
    const s = startScheduler(t.rt, timerHandlers(), { now: t.rt.now, setTimer: () => () => {} });
    try {
      t.setNow(at("2026-05-11T07:00"));
      await s.tick();
      const [mail] = await outbox(t.store);
      assert.equal(mail.mail.subject, "日次レポート (2026-05-10〜2026-05-10)");
      assert.match(mail.mail.text, /^受付件数: 0$/m, "channel web: none of the mail tickets");
      await run(t.rt, (ctx) => unsubscribeReport(ctx, id), { actor: admin });
      t.setNow(at("2026-05-12T07:00"));
      await s.tick();
      assert.equal((await outbox(t.store)).length, 1);
    } finally {
      await s.stop();
    }
    await assert.rejects(
      () =>
        run(t.rt, (ctx) => subscribeReport(ctx, { frequency: "daily", sendHour: 7, filter: {} }), {
          actor: agent({ id: 2, name: "秋", role: "agent" }),
        }),
      ForbiddenError,
    );
  } finally {
    await t.cleanup();
  }
});

Deno.test("report schedule: the report is computed on the read pool, not in the firing transaction", async () => {
  const t = await fixture();
  // A logging reader over the same file, as the read pool would be.
  const reader = withLoggingDb(t);
  const rt = { ...t.rt, store: { ...t.rt.store, reader: reader.db } };
  const s = startScheduler(rt, timerHandlers(), { now: t.rt.now, setTimer: () => () => {} });
  try {
    t.setNow(at("2026-05-10T20:00"));
    await run(
      t.rt,
      (ctx) => subscribeReport(ctx, { frequency: "weekly", sendHour: 8, filter: {} }),
      { actor: BOSS },
    );
    t.setNow(at("2026-05-11T08:00"));
    await s.tick();
    const mails = await outbox(t.store);
    assert.equal(mails.length, 1);
    assert.match(mails[0].mail.text, /^Received: 3$/m);
    // The report's reads (its facts, the agents' names) ran on the reader.
    assert.ok(reader.queries.some((q) => /ticket_report_facts/.test(q.sql)), "facts on the reader");

    // The subscription changed after the report was computed: the firing computes it again
    // inside, with the new filter, rather than mail what no longer applies.
    const sub = await t.store.db.selectFrom("report_subscriptions").select("id")
      .executeTakeFirstOrThrow();
    const changing = {
      ...rt,
      store: {
        ...rt.store,
        writeTx: <T>(fn: (tx: Parameters<Parameters<Store["writeTx"]>[0]>[0]) => Promise<T>) =>
          t.store.writeTx(async (tx) => {
            await tx.updateTable("report_subscriptions")
              .set({ filter_json: JSON.stringify({ channel: "phone" }) })
              .where("id", "=", sub.id).execute();
            return await fn(tx);
          }),
      },
    };
    const s2 = startScheduler(changing, timerHandlers(), {
      now: t.rt.now,
      setTimer: () => () => {},
    });
    try {
      t.setNow(at("2026-05-18T08:00"));
      await s2.tick();
    } finally {
      await s2.stop();
    }
    const after = await outbox(t.store);
    assert.equal(after.length, 2);
    // The week of 05-11 had one mail ticket and no phone ticket: the new filter's figure.
    assert.match(after[1].mail.text, /^Received: 0$/m);
  } finally {
    await s.stop();
    await reader.db.destroy();
    reader.client.close();
    await t.cleanup();
  }
});
