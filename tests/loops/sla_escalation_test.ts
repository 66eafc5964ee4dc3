import assert from "node:assert/strict";
import { openStore, type Store } from "../../db/client.ts";
import { startScheduler, type TimerHandler } from "../../loops/scheduler.ts";
import { SLA_NOTIFY } from "../../services/escalations.ts";
import { timerHandlers } from "../../loops/timer_handlers.ts";
import { createTicketForCustomer } from "../../services/customer_tickets.ts";
import { replyToCustomer } from "../../services/replies.ts";
import { changeStatus } from "../../services/tickets.ts";
import { agent, run, testRuntime } from "../runtime.ts";
import { saveSlaPolicy } from "../../db/sla_policies.ts";
import { assignDepartmentSchedule, insertSchedule } from "../../db/schedules.ts";
import { listTicketTimers } from "../../db/timers.ts";
import { listNotifications } from "../../db/notifications.ts";
import { recomputeDepartmentsSla } from "../../db/sla.ts";
import type { SlaPolicyInput } from "../../domain/sla_policy.ts";
import type { Schedule } from "../../domain/schedule.ts";
import { rawMail, testConfig } from "../helpers.ts";
import { receiveMail } from "../../services/inbound_mail.ts";
import { replyAddress } from "../../mail/compose.ts";

const MAIL = {
  supportAddress: "support@example.test",
  fromName: "サポート",
  relayConfigured: true,
  publicUrl: "http://localhost",
  timeZone: "Asia/Tokyo",
};
const nineToSix = [{ start: "09:00", end: "18:00" }];
const WEEKDAYS: Schedule = {
  timeZone: "Asia/Tokyo",
  weekly: { 1: nineToSix, 2: nineToSix, 3: nineToSix, 4: nineToSix, 5: nineToSix },
  holidays: [],
};

function at(local: string): number {
  return Temporal.PlainDateTime.from(local).toZonedDateTime("Asia/Tokyo").epochMilliseconds;
}

function policy(over: Partial<SlaPolicyInput> = {}): SlaPolicyInput {
  return {
    firstResponseMinutes: 60,
    nextResponseMinutes: null,
    resolutionMinutes: null,
    warning: { kind: "percent", value: 80 },
    businessHoursOnly: true,
    actions: {
      warning: [{ kind: "notify", to: "assignee", mail: false }],
      breach: [{ kind: "notify", to: "supervisors", mail: true }, { kind: "raise_priority" }],
    },
    ...over,
  };
}

/** A desk on a file database: an admin, an agent, the default department, one fake clock. */
async function desk(
  options: { schedule?: Schedule; policy?: SlaPolicyInput; start: number },
) {
  const dir = await Deno.makeTempDir({ prefix: "madoguchi-sla-" });
  const url = `file:${dir}/test.db`;
  let store: Store = await openStore(url);
  const clock = { now: options.start };
  await store.writeTx(async (tx) => {
    for (const [email, role] of [["boss@example.test", "admin"], ["aki@example.test", "agent"]]) {
      await tx.insertInto("agents").values({
        email,
        name: email.split("@")[0],
        password_hash: "x",
        role: role as "admin" | "agent",
        time_zone: null,
        created_at: 0,
      }).execute();
    }
    if (options.schedule) {
      const id = await insertSchedule(tx, { name: "営業日", ...options.schedule }, 0);
      await assignDepartmentSchedule(tx, 1, id);
    }
    await saveSlaPolicy(tx, 1, "normal", options.policy ?? policy(), 0);
  });
  const handlers: Record<string, TimerHandler> = timerHandlers();
  const config = testConfig(dir, { MADOGUCHI_SMTP_RELAY_URL: "smtp://127.0.0.1:1" });
  const runtime = () => testRuntime(store, { config, now: () => clock.now });
  let scheduler = startScheduler(runtime(), handlers, { now: () => clock.now });
  return {
    get store() {
      return store;
    },
    get rt() {
      return runtime();
    },
    clock,
    get scheduler() {
      return scheduler;
    },
    async newTicket(now = clock.now) {
      return await run(runtime(), (ctx) =>
        createTicketForCustomer(ctx, {
          customer: { email: "taro@example.com", name: "太郎" },
          subject: "請求書の再発行",
          text: "お願いします",
          channel: "phone",
        }), { now });
    },
    async tickAt(local: number) {
      clock.now = local;
      return await scheduler.tick();
    },
    /** Stops everything and opens the same database file again, as after a crash or deploy. */
    async restart() {
      await scheduler.stop();
      await store.close();
      store = await openStore(url);
      scheduler = startScheduler(runtime(), handlers, { now: () => clock.now });
      await scheduler.idle();
    },
    async counts(ticketId: number) {
      const events = await store.db.selectFrom("events").select("kind")
        .where("ticket_id", "=", ticketId).where("kind", "like", "sla.%").execute();
      const outbox = await store.db.selectFrom("outbox").select("envelope_to").execute();
      // SLA notices only: a customer's reply notifies too (customer.replied).
      const notes = await store.db.selectFrom("notifications").select(["agent_id", "kind"])
        .where("kind", "like", "sla.%").orderBy("id").execute();
      const t = await store.db.selectFrom("tickets").select(["priority"])
        .where("id", "=", ticketId).executeTakeFirstOrThrow();
      return {
        events: events.map((e) => e.kind),
        outbox: outbox.map((o) => JSON.parse(o.envelope_to)),
        notifications: notes.map((n) => `${n.agent_id}:${n.kind}`),
        priority: t.priority,
      };
    },
    async close() {
      await scheduler.stop();
      await store.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

Deno.test("sla escalation: an unanswered ticket warns, then breaches exactly once, mails the admins and raises its priority", async () => {
  const d = await desk({ start: at("2026-07-07T10:00") }); // no schedule: always open
  try {
    const { id } = await d.newTicket();
    assert.equal(await d.tickAt(at("2026-07-07T10:47")), 0, "nothing before 80%");
    assert.equal(await d.tickAt(at("2026-07-07T10:48")), 1, "the warning at 48 of 60 minutes");
    assert.equal(await d.tickAt(at("2026-07-07T11:00")), 1, "the breach");
    for (let i = 0; i < 3; i++) assert.equal(await d.tickAt(at("2026-07-07T11:30") + i), 0);
    const c = await d.counts(id);
    assert.deepEqual(c.events, ["sla.warning", "sla.breach"]);
    // The warning went to the assignee — nobody has replied yet, so nobody; the breach to the admin.
    assert.deepEqual(c.notifications, ["1:sla.breach"]);
    assert.deepEqual(c.outbox, [["boss@example.test"]]);
    assert.equal(c.priority, "high");
    const raw = await d.store.db.selectFrom("outbox").select("raw").executeTakeFirstOrThrow();
    const text = new TextDecoder().decode(raw.raw);
    assert.match(text, /Auto-Submitted: auto-generated/);
    assert.doesNotMatch(text, /\[#\d+\]/, "no subject tag an agent's answer could thread on");
  } finally {
    await d.close();
  }
});

Deno.test("sla escalation: a reply before the deadline cancels it; nothing fires", async () => {
  const d = await desk({ start: at("2026-07-07T10:00") });
  try {
    const { id } = await d.newTicket();
    await run(
      d.rt,
      (ctx) => replyToCustomer(ctx, { ticketId: id, text: "承知しました", status: "open" }),
      { actor: agent({ id: 2, name: "aki" }), now: at("2026-07-07T10:30") },
    );
    assert.equal(await d.tickAt(at("2026-07-08T10:00")), 0);
    assert.deepEqual((await d.counts(id)).events, []);
    const armed = (await listTicketTimers(d.store.db, id)).filter((t) => t.firedAt === null);
    assert.deepEqual(armed, []);
  } finally {
    await d.close();
  }
});

Deno.test("sla escalation: a restart inside the due window neither doubles nor misses the breach", async () => {
  const d = await desk({ start: at("2026-07-07T10:00") });
  try {
    const { id } = await d.newTicket();
    d.clock.now = at("2026-07-07T10:59");
    await d.scheduler.tick(); // the warning only
    // Down from 10:59 to 11:20: the breach came due while nothing ran.
    d.clock.now = at("2026-07-07T11:20");
    await d.restart();
    await d.scheduler.tick();
    await d.restart();
    await Promise.all([d.scheduler.tick(), d.scheduler.tick()]);
    const c = await d.counts(id);
    assert.deepEqual(c.events, ["sla.warning", "sla.breach"]);
    assert.deepEqual(c.outbox.length, 1);
    assert.equal(c.priority, "high", "raised once: normal → high, not → urgent");
  } finally {
    await d.close();
  }
});

Deno.test("sla escalation: a breach found at 23:00 raises priority at once but mails the team at 09:00", async () => {
  // First response 2 h: a Tuesday 16:30 call is due 18:00 sharp.
  const d = await desk({
    start: at("2026-07-07T16:30"),
    schedule: WEEKDAYS,
    policy: policy({ firstResponseMinutes: 90 }),
  });
  try {
    const { id } = await d.newTicket();
    d.clock.now = at("2026-07-07T17:00");
    await d.restart(); // the process stays down through the deadline…
    d.clock.now = at("2026-07-07T23:00");
    await d.restart(); // …and comes back at night
    await d.scheduler.tick();
    let c = await d.counts(id);
    assert.ok(c.events.includes("sla.breach"));
    assert.equal(c.priority, "high");
    assert.deepEqual(c.notifications, [], "nobody is paged at 23:00");
    assert.deepEqual(c.outbox, []);
    const deferred = (await listTicketTimers(d.store.db, id)).find((t) => t.kind === SLA_NOTIFY);
    assert.equal(deferred?.dueAt, at("2026-07-08T09:00"), "delivered at the next opening");
    assert.equal(await d.tickAt(at("2026-07-08T08:59")), 0);
    assert.equal(await d.tickAt(at("2026-07-08T09:00")), 1);
    assert.equal(await d.tickAt(at("2026-07-08T09:05")), 0);
    c = await d.counts(id);
    assert.deepEqual(c.notifications, ["1:sla.breach"]);
    assert.deepEqual(c.outbox, [["boss@example.test"]]);
  } finally {
    await d.close();
  }
});

Deno.test("sla escalation: a deadline on closing time notifies right away, not the next morning", async () => {
  const d = await desk({
    start: at("2026-07-07T16:30"),
    schedule: WEEKDAYS,
    policy: policy({ firstResponseMinutes: 90 }),
  });
  try {
    const { id } = await d.newTicket();
    assert.equal(await d.tickAt(at("2026-07-07T18:00") + 1_500), 2, "the warning and the breach");
    const c = await d.counts(id);
    assert.deepEqual(c.events, ["sla.breach"], "a warning overtaken by its breach stays quiet");
    assert.deepEqual(c.notifications, ["1:sla.breach"]);
  } finally {
    await d.close();
  }
});

Deno.test("sla escalation: each customer message after a reply is a new next-response cycle that can breach once", async () => {
  const d = await desk({
    start: at("2026-07-07T10:00"),
    policy: policy({
      firstResponseMinutes: 60,
      nextResponseMinutes: 30,
      actions: { warning: [], breach: [{ kind: "notify", to: "assignee", mail: false }] },
    }),
  });
  const reply = (id: number, now: number) =>
    run(
      d.rt,
      (ctx) =>
        replyToCustomer(ctx, {
          ticketId: id,
          text: "ご連絡ありがとうございます",
          status: "pending",
        }),
      { actor: agent({ id: 2, name: "aki" }), now },
    );
  const customerWrites = async (id: number, now: number) => {
    const t = await d.store.db.selectFrom("tickets").select("reply_token")
      .where("id", "=", id).executeTakeFirstOrThrow();
    const raw = rawMail({
      From: "太郎 <taro@example.com>",
      To: "support@example.test",
      Subject: "Re: 請求書の再発行",
      "Message-ID": `<${crypto.randomUUID()}@example.com>`,
    }, "まだ届いていません");
    const rt = testRuntime(d.store, { now: () => now });
    const result = await receiveMail(rt, new TextEncoder().encode(raw), {
      mailFrom: "taro@example.com",
      rcptTo: [replyAddress(MAIL.supportAddress, t.reply_token)],
      remoteAddress: null,
    });
    assert.equal(result.kind, "joined");
  };
  try {
    const { id } = await d.newTicket();
    await reply(id, at("2026-07-07T10:10"));
    await customerWrites(id, at("2026-07-07T11:00"));
    await d.tickAt(at("2026-07-07T11:40")); // cycle 1 breaches at 11:30
    await reply(id, at("2026-07-07T11:45"));
    await customerWrites(id, at("2026-07-07T12:00"));
    await d.tickAt(at("2026-07-07T12:40")); // cycle 2 breaches at 12:30
    await d.tickAt(at("2026-07-07T13:40"));
    const c = await d.counts(id);
    assert.deepEqual(c.events.filter((e) => e === "sla.breach").length, 2);
    assert.deepEqual(c.notifications, ["2:sla.breach", "2:sla.breach"], "aki, who replied");
  } finally {
    await d.close();
  }
});

Deno.test("sla escalation: waiting on the customer pauses the resolution clock and its timers", async () => {
  const d = await desk({
    start: at("2026-07-07T10:00"),
    policy: policy({ firstResponseMinutes: null, resolutionMinutes: 120 }),
  });
  try {
    const { id } = await d.newTicket();
    await run(d.rt, (ctx) => changeStatus(ctx, { ticketId: id, status: "pending" }), {
      actor: agent({ id: 2 }),
      now: at("2026-07-07T11:00"),
    }); // 60 min used
    assert.equal(await d.tickAt(at("2026-07-08T10:00")), 0, "no breach while waiting");
    await run(d.rt, (ctx) => changeStatus(ctx, { ticketId: id, status: "open" }), {
      actor: agent({ id: 2 }),
      now: at("2026-07-08T10:00"),
    });
    const breach = (await listTicketTimers(d.store.db, id))
      .find((t) => t.key === "resolution:breach");
    assert.equal(breach?.dueAt, at("2026-07-08T11:00"), "60 minutes were left");
  } finally {
    await d.close();
  }
});

Deno.test("sla escalation: editing a policy recomputes open tickets without re-firing a breach", async () => {
  const d = await desk({ start: at("2026-07-07T10:00") });
  try {
    const { id } = await d.newTicket();
    await d.tickAt(at("2026-07-07T11:05"));
    await d.store.writeTx(async (tx) => {
      await saveSlaPolicy(tx, 1, "high", policy({ firstResponseMinutes: 240 }), 0);
      await recomputeDepartmentsSla(tx, [1], at("2026-07-07T11:06"));
    });
    assert.equal(await d.tickAt(at("2026-07-07T15:00")), 0, "the fired breach stays fired");
    const t = await d.store.db.selectFrom("tickets").select("first_response_due_at")
      .where("id", "=", id).executeTakeFirstOrThrow();
    assert.equal(t.first_response_due_at, at("2026-07-07T14:00"), "high: 4 h from 10:00");
    assert.equal((await listNotifications(d.store.db, 1)).length, 1);
  } finally {
    await d.close();
  }
});

Deno.test("sla escalation: a target raised behind the recompute's back moves the breach, not fires it", async () => {
  const d = await desk({ start: at("2026-07-07T10:00") });
  try {
    const { id } = await d.newTicket();
    // Saved without recomputing: the armed breach still says 11:00, the policy says 12:00.
    await d.store.writeTx((tx) =>
      saveSlaPolicy(tx, 1, "normal", policy({ firstResponseMinutes: 120 }), 0)
    );
    await d.tickAt(at("2026-07-07T11:00"));
    assert.deepEqual((await d.counts(id)).events, [], "neither the old warning nor the breach");
    await d.tickAt(at("2026-07-07T11:36"));
    assert.deepEqual((await d.counts(id)).events, ["sla.warning"], "80% of 2 h");
    await d.tickAt(at("2026-07-07T12:00"));
    assert.deepEqual((await d.counts(id)).events, ["sla.warning", "sla.breach"]);
  } finally {
    await d.close();
  }
});

Deno.test("sla escalation: the app's timer registry handles the SLA kinds", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const handlers = timerHandlers();
    for (const kind of ["sla.warning", "sla.breach", "sla.notify"]) {
      assert.equal(typeof handlers[kind], "function", kind);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
