/**
 * Reminders, auto-close and follow-ups end to end: mail in over SMTP, an agent's reply, the clock
 * moved forward and the scheduler ticked, mail out through the outbox to an SMTP sink.
 */
import assert from "node:assert/strict";
import { saveReminderPolicy } from "../../db/reminder_settings.ts";
import { findTicketByNumber } from "../../db/tickets.ts";
import { listMessages } from "../../db/messages.ts";
import { listTicketTimers } from "../../db/timers.ts";
import { replyToCustomer } from "../../services/replies.ts";
import { agent, run } from "../runtime.ts";
import { parseMessage } from "../../mail/parse.ts";
import { findFollowUp, setFollowUp } from "../../services/tickets.ts";
import { DEFAULT_REMINDER_POLICY, type ReminderPolicy } from "../../domain/reminder_policy.ts";
import { rawMail } from "../helpers.ts";
import { at, startDesk } from "../automation_helpers.ts";

type Desk = Awaited<ReturnType<typeof startDesk>>;

const MONDAY_10 = at("2026-03-09T10:00+09:00");

async function setup(policy: Partial<ReminderPolicy>, start = MONDAY_10) {
  const desk = await startDesk(start);
  await desk.store.writeTx(async (tx) => {
    await saveReminderPolicy(tx, desk.departmentId, {
      ...DEFAULT_REMINDER_POLICY,
      enabled: true,
      ...policy,
    }, 0);
    await tx.insertInto("agents").values({
      email: "sato@example.test",
      name: "佐藤",
      password_hash: "x",
      role: "agent",
      created_at: 0,
    }).execute();
  });
  return desk;
}

/** A customer's inquiry over SMTP, answered by an agent who leaves the ticket waiting (保留). */
async function waitingTicket(desk: Desk, customer: string, subject: string) {
  const id = `${crypto.randomUUID()}@example.com`;
  const answer = await desk.send(
    customer,
    rawMail({
      From: customer,
      To: "support@example.test",
      Subject: subject,
      "Message-ID": `<${id}>`,
    }, "質問です。"),
  );
  const number = Number(/#(\d+)/.exec(answer)![1]);
  const ticket = (await findTicketByNumber(desk.store.db, number))!;
  await run(
    desk.rt,
    (ctx) =>
      replyToCustomer(ctx, { ticketId: ticket.id, text: "ご確認ください。", status: "pending" }),
    { actor: agent({ id: 1, name: "佐藤" }) },
  );
  await desk.delivered();
  return { ticket, customerMessageId: id };
}

/** Moves the clock and lets the scheduler and the outbox do what is due. */
async function advanceTo(desk: Desk, instant: number) {
  desk.clock.now = instant;
  await desk.scheduler.tick();
  await desk.scheduler.idle();
  await desk.delivered();
}

async function reminders(desk: Desk, ticketId: number) {
  const events = await desk.store.db.selectFrom("events").select("data_json")
    .where("ticket_id", "=", ticketId).where("kind", "=", "reminder.sent").execute();
  return events.map((e) => JSON.parse(e.data_json).count as number);
}

async function status(desk: Desk, ticketId: number) {
  const row = await desk.store.db.selectFrom("tickets").select("status").where("id", "=", ticketId)
    .executeTakeFirstOrThrow();
  return row.status;
}

Deno.test("reminders: a waiting customer is reminded in the thread; their reply stops the series", async () => {
  const desk = await setup({ afterDays: 2, maxReminders: 3, finalAction: "close" });
  try {
    const { ticket, customerMessageId } = await waitingTicket(
      desk,
      "taro@example.com",
      "請求書について",
    );
    assert.equal(desk.sink.messages.length, 1, "the agent's reply went out");

    await advanceTo(desk, at("2026-03-11T09:59+09:00"));
    assert.deepEqual(await reminders(desk, ticket.id), [], "not before 2 business days");
    await advanceTo(desk, at("2026-03-11T10:00+09:00"));
    assert.deepEqual(await reminders(desk, ticket.id), [1]);

    const mail = desk.sink.messages[1];
    assert.deepEqual(mail.to, ["taro@example.com"]);
    assert.match(mail.raw, /^Auto-Submitted: auto-generated$/m);
    assert.match(mail.raw, new RegExp(`^In-Reply-To: <${customerMessageId}>$`, "m"));
    assert.match(mail.raw, new RegExp(`^Reply-To: support\\+t${ticket.replyToken}@`, "m"));
    const reminderId = /^Message-ID: <([^>]+)>/m.exec(mail.raw)![1];
    assert.ok(reminderId.startsWith(`${ticket.replyToken}.`), "our Message-ID with the token");
    const parsed = await parseMessage(new TextEncoder().encode(mail.raw));
    assert.equal(parsed.subject, `Re: ご確認のお願い: 請求書について [#${ticket.number}]`);
    assert.match(parsed.text, /受付番号 1001/);
    const recorded = (await listMessages(desk.store.db, ticket.id)).at(-1)!;
    assert.equal(recorded.direction, "out");
    assert.equal(recorded.messageId, reminderId);
    assert.equal(recorded.delivery?.status, "sent");

    // The customer answers the reminder from their mail client.
    desk.clock.now = at("2026-03-11T12:00+09:00");
    const answer = await desk.send(
      "taro@example.com",
      rawMail({
        From: "taro@example.com",
        To: "support@example.test",
        Subject: parsed.subject,
        "Message-ID": "<answer@example.com>",
        "In-Reply-To": `<${reminderId}>`,
      }, "確認しました。"),
    );
    assert.match(answer, /#1001/);
    assert.equal(await status(desk, ticket.id), "new", "back in 未対応");

    for (const day of ["2026-03-13", "2026-03-17", "2026-03-31"]) {
      await advanceTo(desk, at(`${day}T12:00+09:00`));
    }
    assert.deepEqual(await reminders(desk, ticket.id), [1], "no reminder after the reply");
    assert.equal(await status(desk, ticket.id), "new", "and no auto-close");
    assert.equal(desk.sink.messages.length, 2);
  } finally {
    await desk.stop();
  }
});

Deno.test("reminders: without a reply, K reminders go out N business days apart, then it closes after M", async () => {
  const desk = await setup({
    afterDays: 1,
    maxReminders: 2,
    finalAfterDays: 2,
    finalAction: "close",
  });
  try {
    const { ticket } = await waitingTicket(desk, "hanako@example.com", "Invoice");
    await advanceTo(desk, at("2026-03-10T10:00+09:00")); // Tue
    await advanceTo(desk, at("2026-03-11T10:00+09:00")); // Wed
    assert.deepEqual(await reminders(desk, ticket.id), [1, 2]);
    const second = desk.sink.messages.at(-1)!;
    assert.match(
      (await parseMessage(new TextEncoder().encode(second.raw))).subject,
      /^Re: Waiting for your reply: Invoice/,
    );

    await advanceTo(desk, at("2026-03-13T09:59+09:00")); // Fri, a minute early
    assert.equal(await status(desk, ticket.id), "pending");
    await advanceTo(desk, at("2026-03-13T10:00+09:00"));
    assert.equal(await status(desk, ticket.id), "resolved", "auto-closed 2 business days later");
    const event = await desk.store.db.selectFrom("events").select("data_json")
      .where("ticket_id", "=", ticket.id).where("kind", "=", "status.changed")
      .executeTakeFirstOrThrow();
    assert.deepEqual(JSON.parse(event.data_json), {
      from: "pending",
      to: "resolved",
      reason: "reminder.close",
    });

    await advanceTo(desk, at("2026-04-30T10:00+09:00"));
    assert.deepEqual(await reminders(desk, ticket.id), [1, 2], "nothing more");
    assert.equal(desk.sink.messages.length, 3, "the agent's reply and two reminders");
  } finally {
    await desk.stop();
  }
});

Deno.test("reminders: 'return to 未対応' puts a ticket nobody answered back in the inbox", async () => {
  const desk = await setup({
    afterDays: 1,
    maxReminders: 0,
    finalAfterDays: 3,
    finalAction: "reopen",
  });
  try {
    const { ticket } = await waitingTicket(desk, "jiro@example.com", "見積もり");
    await advanceTo(desk, at("2026-03-12T10:00+09:00"));
    assert.equal(await status(desk, ticket.id), "new");
    assert.deepEqual(await reminders(desk, ticket.id), []);
  } finally {
    await desk.stop();
  }
});

Deno.test("follow-up: a date an agent sets brings a closed ticket back to 未対応; a cleared one does not", async () => {
  const desk = await setup({ enabled: false });
  try {
    const { ticket } = await waitingTicket(desk, "taro@example.com", "後で確認");
    const other = (await waitingTicket(desk, "hanako@example.com", "別件")).ticket;
    await desk.store.db.updateTable("tickets").set({ status: "resolved" }).execute();
    const due = at("2026-03-16T09:00+09:00");
    await run(desk.rt, (ctx) => setFollowUp(ctx, { ticketId: ticket.id, dueAt: due }), {
      actor: agent({ id: 1 }),
      now: MONDAY_10,
    });
    await run(desk.rt, (ctx) => setFollowUp(ctx, { ticketId: other.id, dueAt: due }), {
      actor: agent({ id: 1 }),
      now: MONDAY_10,
    });
    assert.equal(await findFollowUp(desk.store.db, ticket.id), due);
    await run(desk.rt, (ctx) => setFollowUp(ctx, { ticketId: other.id, dueAt: null }), {
      actor: agent({ id: 1 }),
      now: MONDAY_10,
    });
    assert.equal(await findFollowUp(desk.store.db, other.id), null);

    await advanceTo(desk, due - 60_000);
    assert.equal(await status(desk, ticket.id), "resolved");
    await advanceTo(desk, due);
    assert.equal(await status(desk, ticket.id), "new");
    assert.equal(await status(desk, other.id), "resolved");
    assert.equal(await findFollowUp(desk.store.db, ticket.id), null, "done, no longer shown");
    const kinds = (await desk.store.db.selectFrom("events").select("kind")
      .where("ticket_id", "=", ticket.id).execute()).map((e) => e.kind);
    assert.ok(kinds.includes("followup.set") && kinds.includes("followup.due"));
  } finally {
    await desk.stop();
  }
});

Deno.test("reminders: a restart during the due window sends the reminder once, not twice, not never", async () => {
  const desk = await setup({ afterDays: 1, maxReminders: 1, finalAction: "none" });
  try {
    const { ticket } = await waitingTicket(desk, "taro@example.com", "再起動");
    await desk.scheduler.stop(); // down before the reminder is due…
    desk.clock.now = at("2026-03-10T15:00+09:00"); // …and still down when it is
    await desk.restartScheduler(); // the new scheduler fires what is overdue at start
    await desk.delivered();
    assert.deepEqual(await reminders(desk, ticket.id), [1]);
    await desk.restartScheduler();
    await advanceTo(desk, at("2026-03-20T15:00+09:00"));
    assert.deepEqual(await reminders(desk, ticket.id), [1]);
    assert.equal(desk.sink.messages.length, 2, "the agent's reply and one reminder");
    const timers = await listTicketTimers(desk.store.db, ticket.id);
    assert.deepEqual(timers.map((t) => [t.kind, t.firedAt !== null]), [["reminder.send", true]]);
  } finally {
    await desk.stop();
  }
});
