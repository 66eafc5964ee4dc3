/** Business hours, SLA policies, the ticket's SLA box and notifications through app.request(). */
import assert from "node:assert/strict";
import { appFixture } from "./app_fixture.ts";
import { createTicketForCustomer } from "../runtime.ts";
import { insertNotifications } from "../../db/notifications.ts";
// Tuesday 2026-07-07 10:00 in Tokyo: the fixed "now" of these pages.
const NOW = Temporal.PlainDateTime.from("2026-07-07T10:00").toZonedDateTime("Asia/Tokyo")
  .epochMilliseconds;

function setup() {
  return appFixture({ deps: { now: () => NOW } });
}

function scheduleForm(over: Record<string, string> = {}): FormData {
  const form = new FormData();
  const values: Record<string, string> = {
    name: "営業日",
    timeZone: "Asia/Tokyo",
    day1: "09:00-18:00",
    day2: "09:00-12:00, 13:00-18:00",
    day3: "09:00-18:00",
    day4: "09:00-18:00",
    day5: "22:00-06:00",
    day6: "",
    day7: "",
    holidays: "2026-07-20 海の日",
    ...over,
  };
  for (const [k, v] of Object.entries(values)) form.set(k, v);
  return form;
}

Deno.test("admin sla: schedules and policies are 404 for agents who are not admins", async () => {
  const t = await setup();
  try {
    const agent = await t.login("aki@example.test");
    for (
      const path of [
        "/admin/schedules",
        "/admin/schedules/new",
        "/admin/sla",
        "/admin/sla/1/normal",
      ]
    ) {
      assert.equal((await t.request(path, { cookie: agent })).status, 404, path);
    }
    assert.equal((await t.post("/admin/schedules", agent, scheduleForm())).status, 404);
    assert.equal((await t.post("/admin/sla/1/normal", agent, { firstResponse: "2h" })).status, 404);
    const page = await (await t.request("/", { cookie: agent })).text();
    assert.doesNotMatch(page, /href="\/admin\/sla"/, "no admin links in the agent's top bar");
  } finally {
    await t.cleanup();
  }
});

Deno.test("admin sla: a bad schedule is refused with its errors and every typed value kept", async () => {
  const t = await setup();
  try {
    const admin = await t.login("admin@example.test");
    const res = await t.post(
      "/admin/schedules",
      admin,
      scheduleForm({ day1: "9時から18時", day3: "09:00-18:00, 17:00-19:00", holidays: "someday" }),
    );
    assert.equal(res.status, 422);
    assert.match(res.headers.get("content-type")!, /text\/html/);
    const html = await res.text();
    // In the agent's language (Japanese by default).
    assert.match(html, /月曜日: 「9時から18時」は 09:00-18:00 のような時間帯ではありません/);
    assert.match(html, /休日の 1 行目: 「someday」を読み取れません/);
    assert.match(html, /水曜日 09:00–18:00 と 水曜日 17:00–19:00 が重なっています/);
    assert.match(html, /value="9時から18時"/, "the typed Monday is kept");
    assert.match(html, /value="09:00-18:00, 17:00-19:00"/);
    assert.match(html, />someday<\/textarea>/);
    assert.equal(
      await t.store.db.selectFrom("schedules").select("id").executeTakeFirst(),
      undefined,
    );
  } finally {
    await t.cleanup();
  }
});

Deno.test("admin sla: an English-speaking admin reads a bad schedule's errors in English", async () => {
  const t = await setup();
  try {
    const admin = await t.login("admin@example.test");
    await t.store.writeTx((tx) =>
      tx.updateTable("agents").set({ locale: "en" }).where("email", "=", "admin@example.test")
        .execute()
    );
    const res = await t.post(
      "/admin/schedules",
      admin,
      scheduleForm({ name: "", timeZone: "Tokyo", day1: "9-18", holidays: "2026-02-30" }),
    );
    assert.equal(res.status, 422);
    assert.match(res.headers.get("content-type")!, /text\/html/);
    const html = await res.text();
    assert.match(html, /Please check the form/);
    assert.match(html, /Name is required/);
    assert.match(html, /Unknown time zone &quot;Tokyo&quot;/);
    assert.match(html, /Mon: &quot;9-18&quot; is not an interval like 09:00-18:00/);
    assert.match(html, /Holiday 1: &quot;2026-02-30&quot; is not a calendar date/);
    assert.doesNotMatch(html, /ではありません|入力内容/);
  } finally {
    await t.cleanup();
  }
});

Deno.test("admin sla: a saved schedule shows the next 14 days of opening hours in its zone", async () => {
  const t = await setup();
  try {
    const admin = await t.login("admin@example.test");
    const ics = [
      "BEGIN:VCALENDAR",
      "BEGIN:VEVENT",
      "DTSTART;VALUE=DATE:20260713",
      "DTEND;VALUE=DATE:20260714",
      "SUMMARY:臨時休業",
      "END:VEVENT",
      "END:VCALENDAR",
    ].join("\r\n");
    const form = scheduleForm();
    form.set("ics", new File([ics], "holidays.ics", { type: "text/calendar" }));
    const res = await t.post("/admin/schedules", admin, form);
    assert.equal(res.status, 303);
    const page = await t.request(res.headers.get("location")!, { cookie: admin });
    assert.equal(page.status, 200);
    const html = await page.text();
    const day = (date: string) =>
      new RegExp(`data-date="${date}"[^>]*><td>[^<]*</td><td>([^<]*)</td>`).exec(html)?.[1];
    assert.equal(day("2026-07-07"), "09:00–12:00, 13:00–18:00", "today, Tuesday");
    assert.equal(day("2026-07-10"), "22:00–24:00", "Friday's night shift starts");
    assert.equal(day("2026-07-11"), "00:00–06:00", "…and runs into Saturday");
    assert.equal(day("2026-07-12"), "休み");
    assert.equal(day("2026-07-13"), "休日", "the imported iCalendar holiday");
    assert.equal(day("2026-07-20"), "休日", "海の日");
    assert.equal(day("2026-07-21"), undefined, "14 days, no more");
    assert.match(html, /2026-07-13 臨時休業/, "the import is listed with the other holidays");

    // Assign it to the department: the schedule list shows who uses it.
    const assign = await t.post("/admin/schedules/assign", admin, {
      department: "1",
      schedule: "1",
    });
    assert.equal(assign.status, 303);
    const list = await (await t.request("/admin/schedules", { cookie: admin })).text();
    assert.match(list, /<td>営業日<\/td><td>Asia\/Tokyo<\/td><td>サポート<\/td>/);
  } finally {
    await t.cleanup();
  }
});

Deno.test("admin sla: a policy with a bad target keeps the input; a good one sets the tickets' deadlines", async () => {
  const t = await setup();
  try {
    const admin = await t.login("admin@example.test");
    await t.post("/admin/schedules", admin, scheduleForm({ holidays: "" }));
    await t.post("/admin/schedules/assign", admin, { department: "1", schedule: "1" });
    const { number } = await createTicketForCustomer(t.store, {
      customer: { email: "taro@example.com", name: "太郎" },
      subject: "請求書",
      text: "再発行をお願いします",
      channel: "phone",
      supportAddress: "support@example.test",
      agentId: null,
      now: NOW - 40 * 60_000, // 09:20
    });
    const bad = await t.post("/admin/sla/1/normal", admin, {
      firstResponse: "two hours",
      nextResponse: "4h",
      resolution: "",
      warningKind: "percent",
      warningValue: "80",
    });
    assert.equal(bad.status, 422);
    const badHtml = await bad.text();
    assert.match(badHtml, /value="two hours"/);
    assert.match(badHtml, /分 \(90\)、時間 \(2h\)、または 1h30m で入力してください/);
    const ok = await t.post("/admin/sla/1/normal", admin, {
      firstResponse: "2h",
      nextResponse: "4h",
      resolution: "",
      warningKind: "percent",
      warningValue: "80",
      "breach.notify": "supervisors",
      "breach.mail": "1",
      businessHoursOnly: "1",
    });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get("location"), "/admin/sla/1/normal?saved=1");

    // The open ticket was recomputed: due 11:20, 1 h 20 min of business time from 10:00.
    const inbox = await (await t.request("/", { cookie: admin })).text();
    assert.match(inbox, /期限まで 1時間20分 \(営業時間\)/);
    const ticket = await (await t.request(`/tickets/${number}`, { cookie: admin })).text();
    assert.match(ticket, /初回応答<\/strong>: 期限まで 1時間20分 \(営業時間\)/);
    const overview = await (await t.request("/admin/sla", { cookie: admin })).text();
    assert.match(overview, /初回応答 2h \/ 次回応答 4h/);
  } finally {
    await t.cleanup();
  }
});

Deno.test("admin sla: the priority set on the ticket page picks the policy; breached rows are coloured", async () => {
  const t = await setup();
  try {
    const admin = await t.login("admin@example.test");
    for (const [priority, target] of [["normal", "8h"], ["urgent", "30m"]]) {
      await t.post(`/admin/sla/1/${priority}`, admin, {
        firstResponse: target,
        warningKind: "minutes",
        warningValue: "10",
      });
    }
    const { id, number } = await createTicketForCustomer(t.store, {
      customer: { email: "hanako@example.com", name: "花子" },
      subject: "至急",
      text: "止まっています",
      channel: "phone",
      supportAddress: "support@example.test",
      agentId: null,
      now: NOW - 45 * 60_000,
    });
    const res = await t.post(`/tickets/${number}/priority`, admin, { priority: "urgent" });
    assert.equal(res.status, 303);
    const row = await t.store.db.selectFrom("tickets")
      .select(["priority", "first_response_due_at"]).where("id", "=", id).executeTakeFirstOrThrow();
    assert.equal(row.priority, "urgent");
    assert.equal(row.first_response_due_at, NOW - 15 * 60_000);
    const inbox = await (await t.request("/", { cookie: admin })).text();
    assert.match(inbox, new RegExp(`data-ticket="${number}" class="sla-breached priority-urgent"`));
    // No business hours here: the time is wall time and is not called business time.
    assert.match(inbox, /期限超過 15分</);
    assert.equal(
      (await t.post(`/tickets/${number}/priority`, admin, { priority: "asap" })).status,
      422,
    );
  } finally {
    await t.cleanup();
  }
});

Deno.test("admin sla: notifications show as a badge and a list, and can be marked read", async () => {
  const t = await setup();
  try {
    const admin = await t.login("admin@example.test");
    const { id, number } = await createTicketForCustomer(t.store, {
      customer: { email: "taro@example.com", name: "太郎" },
      subject: "請求書",
      text: "再発行",
      channel: "phone",
      supportAddress: "support@example.test",
      agentId: null,
      now: NOW,
    });
    await t.store.writeTx((tx) =>
      insertNotifications(tx, [1], {
        ticketId: id,
        kind: "sla.breach",
        data: { metric: "first_response", dueAt: NOW },
        now: NOW,
      })
    );
    const home = await (await t.request("/", { cookie: admin })).text();
    assert.match(home, /通知<span class="unread-badge">1<\/span>/);
    const list = await (await t.request("/notifications", { cookie: admin })).text();
    assert.match(list, new RegExp(`#${number} の初回応答期限を過ぎました`));
    assert.equal((await t.post("/notifications/read", admin, {})).status, 303);
    const after = await (await t.request("/", { cookie: admin })).text();
    assert.doesNotMatch(after, /unread-badge/);
  } finally {
    await t.cleanup();
  }
});

Deno.test("notifications: grouped by ticket with an unread count; one ticket's notices are marked read together", async () => {
  const t = await setup();
  try {
    const admin = await t.login("admin@example.test");
    const open = (subject: string) =>
      createTicketForCustomer(t.store, {
        customer: { email: "taro@example.com", name: "太郎" },
        subject,
        text: "本文",
        channel: "phone",
        now: NOW,
      });
    const a = await open("請求書");
    const b = await open("配送");
    await t.store.writeTx(async (tx) => {
      for (
        const [ticketId, kind] of [[a.id, "sla.warning"], [a.id, "sla.breach"], [
          b.id,
          "sla.breach",
        ]] as const
      ) {
        await insertNotifications(tx, [1], {
          ticketId,
          kind,
          data: { metric: "first_response", dueAt: NOW },
          now: NOW,
        });
      }
    });
    const list = await (await t.request("/notifications", { cookie: admin })).text();
    // One entry per ticket, with how many of its notices are unread.
    assert.equal(list.match(/class="notice-head"/g)?.length, 2);
    assert.match(list, new RegExp(`#${a.number} 請求書</a><span class="unread-badge">2</span>`));
    const read = await t.post(`/notifications/tickets/${a.id}/read`, admin, {});
    assert.equal(read.status, 303);
    const home = await (await t.request("/", { cookie: admin })).text();
    assert.match(
      home,
      /通知<span class="unread-badge">1<\/span>/,
      "only the other ticket's notice",
    );
  } finally {
    await t.cleanup();
  }
});
