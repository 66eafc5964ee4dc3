/** After-hours mail over a real SMTP socket into a real database, replies caught by an SMTP sink. */
import assert from "node:assert/strict";
import { saveAfterHoursPolicy } from "../../db/after_hours.ts";
import { createDepartment } from "../../db/departments.ts";
import { findTicketByNumber } from "../../db/tickets.ts";
import { listMessages } from "../../db/messages.ts";
import { parseMessage } from "../../mail/parse.ts";
import { DEFAULT_AFTER_HOURS_POLICY } from "../../domain/after_hours.ts";
import { rawMail } from "../helpers.ts";
import { at, startDesk } from "../automation_helpers.ts";

const SATURDAY_NIGHT = at("2026-03-07T22:00+09:00");

function inquiry(from: string, id: string, subject: string, extra: Record<string, string> = {}) {
  return rawMail({
    From: from,
    To: "support@example.test",
    Subject: subject,
    "Message-ID": `<${id}>`,
    ...extra,
  }, "よろしくお願いします。");
}

async function outboxCount(store: Awaited<ReturnType<typeof startDesk>>["store"]) {
  const rows = await store.db.selectFrom("outbox").select("id").execute();
  return rows.length;
}

Deno.test("after-hours: a mail on Saturday night gets one RFC 3834 auto-reply naming Monday 9:00", async () => {
  const desk = await startDesk(SATURDAY_NIGHT);
  try {
    await desk.store.writeTx((tx) =>
      saveAfterHoursPolicy(tx, desk.departmentId, {
        ...DEFAULT_AFTER_HOURS_POLICY,
        autoReply: true,
      }, 0)
    );
    const answer = await desk.send(
      "taro@example.com",
      inquiry("山田太郎 <taro@example.com>", "sat-1@example.com", "請求書について", {
        References: "<root@example.com>",
      }),
    );
    assert.match(answer, /^250 .*#1001/);

    const mail = await desk.sink.next();
    assert.deepEqual(mail.to, ["taro@example.com"]);
    assert.match(mail.raw, /^Auto-Submitted: auto-replied$/m);
    assert.match(mail.raw, /^Precedence: auto_reply$/m);
    assert.match(mail.raw, /^X-Auto-Response-Suppress: All$/m);
    assert.match(mail.raw, /^In-Reply-To: <sat-1@example\.com>$/m);
    assert.match(mail.raw, /^References: <root@example\.com> <sat-1@example\.com>$/m);
    const ticket = (await findTicketByNumber(desk.store.db, 1001))!;
    assert.match(
      mail.raw,
      new RegExp(`^Reply-To: support\\+t${ticket.replyToken}@example\\.test`, "m"),
    );
    const parsed = await parseMessage(new TextEncoder().encode(mail.raw));
    assert.match(parsed.subject, /営業時間外.*\[#1001\]/);
    assert.match(parsed.text, /山田太郎 様/);
    assert.match(parsed.text, /受付番号 1001/);
    assert.match(parsed.text, /2026年3月9日\(月\) 9:00以降/);

    await desk.delivered();
    const out = (await listMessages(desk.store.db, ticket.id)).filter((m) => m.direction === "out");
    assert.equal(out.length, 1, "the auto-reply is on the ticket");
    assert.equal(out[0].delivery?.status, "sent");
    assert.equal(
      ticket.status,
      "new",
      "an auto-reply is not an answer: the ticket still needs one",
    );
  } finally {
    await desk.stop();
  }
});

Deno.test("after-hours: the same sender writing again that night gets no second auto-reply", async () => {
  const desk = await startDesk(SATURDAY_NIGHT);
  try {
    await desk.store.writeTx((tx) =>
      saveAfterHoursPolicy(tx, desk.departmentId, {
        ...DEFAULT_AFTER_HOURS_POLICY,
        autoReply: true,
      }, 0)
    );
    await desk.send("taro@example.com", inquiry("taro@example.com", "n-1@example.com", "一通目"));
    desk.clock.now += 3 * 3_600_000; // Sunday 01:00
    await desk.send("taro@example.com", inquiry("taro@example.com", "n-2@example.com", "二通目"));
    await desk.delivered();
    assert.equal(await outboxCount(desk.store), 1);
    assert.equal(desk.sink.messages.length, 1);

    // A day later it is a new period: Sunday night is still closed, so one more goes out.
    desk.clock.now += 24 * 3_600_000;
    await desk.send("taro@example.com", inquiry("taro@example.com", "n-3@example.com", "三通目"));
    await desk.delivered();
    assert.equal(desk.sink.messages.length, 2);
  } finally {
    await desk.stop();
  }
});

Deno.test("after-hours: auto-submitted, list, no-reply, bounce and our own mail get no auto-reply", async () => {
  const desk = await startDesk(SATURDAY_NIGHT);
  try {
    await desk.store.writeTx((tx) =>
      saveAfterHoursPolicy(tx, desk.departmentId, {
        ...DEFAULT_AFTER_HOURS_POLICY,
        autoReply: true,
      }, 0)
    );
    const machine: Array<[string, string, Record<string, string>]> = [
      ["hanako@example.com", "hanako@example.com", { "Auto-Submitted": "auto-replied" }],
      ["news@shop.example", "news@shop.example", { "List-Id": "<news.shop.example>" }],
      ["no-reply@shop.example", "no-reply@shop.example", {}],
      ["ops@example.test", "ops@example.test", {}],
      ["", "Mail Delivery System <mailer-daemon@mx.example>", {}],
    ];
    for (const [i, [envelope, from, headers]] of machine.entries()) {
      const answer = await desk.send(envelope, inquiry(from, `m-${i}@x`, `machine ${i}`, headers));
      assert.match(answer, /^250 /);
    }
    await desk.delivered();
    assert.equal(await outboxCount(desk.store), 0);
    assert.equal(desk.sink.messages.length, 0);
  } finally {
    await desk.stop();
  }
});

Deno.test("after-hours: a mail during opening hours gets no auto-reply", async () => {
  const desk = await startDesk(at("2026-03-09T10:00+09:00")); // Monday 10:00
  try {
    await desk.store.writeTx((tx) =>
      saveAfterHoursPolicy(tx, desk.departmentId, {
        ...DEFAULT_AFTER_HOURS_POLICY,
        autoReply: true,
      }, 0)
    );
    await desk.send("taro@example.com", inquiry("taro@example.com", "mon@example.com", "月曜"));
    await desk.delivered();
    assert.equal(await outboxCount(desk.store), 0);
  } finally {
    await desk.stop();
  }
});

Deno.test("after-hours: a department that did not turn auto-replies on sends none", async () => {
  const desk = await startDesk(SATURDAY_NIGHT);
  try {
    await desk.send("taro@example.com", inquiry("taro@example.com", "off@example.com", "設定なし"));
    await desk.delivered();
    assert.equal(await outboxCount(desk.store), 0);
  } finally {
    await desk.stop();
  }
});

Deno.test("after-hours: new mail while closed goes to the on-duty department; replies stay put", async () => {
  const desk = await startDesk(at("2026-03-09T10:00+09:00")); // Monday 10:00, open
  try {
    const onDuty = await desk.store.writeTx((tx) =>
      createDepartment(tx, { name: "夜間窓口", slug: "night" }, Date.now())
    );
    await desk.store.writeTx((tx) =>
      saveAfterHoursPolicy(tx, desk.departmentId, {
        ...DEFAULT_AFTER_HOURS_POLICY,
        onDutyDepartmentId: onDuty.id,
      }, 0)
    );
    await desk.send("taro@example.com", inquiry("taro@example.com", "day@example.com", "昼の件"));
    desk.clock.now = at("2026-03-09T20:00+09:00"); // Monday 20:00, closed
    await desk.send("jiro@example.com", inquiry("jiro@example.com", "night@example.com", "夜の件"));
    await desk.send(
      "taro@example.com",
      inquiry("taro@example.com", "day-2@example.com", "Re: 昼の件", {
        "In-Reply-To": "<day@example.com>",
      }),
    );
    const day = (await findTicketByNumber(desk.store.db, 1001))!;
    const night = (await findTicketByNumber(desk.store.db, 1002))!;
    assert.equal(day.departmentId, desk.departmentId);
    assert.equal(day.messageCount, 2, "the evening reply joined the daytime ticket");
    assert.equal(night.departmentId, onDuty.id);
    const events = await desk.store.db.selectFrom("events").select(["ticket_id", "kind"])
      .where("kind", "=", "ticket.routed").execute();
    assert.deepEqual(events, [{ ticket_id: night.id, kind: "ticket.routed" }]);
    // The move is a department change like any other: its event, in the history.
    const moved = await desk.store.db.selectFrom("events").select(["ticket_id", "data_json"])
      .where("kind", "=", "department.changed").execute();
    assert.deepEqual(moved.map((e) => [e.ticket_id, JSON.parse(e.data_json)]), [
      [night.id, { from: desk.departmentId, to: onDuty.id, reason: "after_hours" }],
    ]);
  } finally {
    await desk.stop();
  }
});
