import assert from "node:assert/strict";
import { tempStore } from "../helpers.ts";
import { agent, run, testRuntime } from "../runtime.ts";
import { createTicketForCustomer } from "../../services/customer_tickets.ts";
import { replyToCustomer } from "../../services/replies.ts";
import { changeStatus } from "../../services/tickets.ts";
import { dashboard, periodReport } from "../../services/reports.ts";
import { assignDepartmentSchedule, insertSchedule } from "../../db/schedules.ts";
import { saveSlaPolicy } from "../../db/sla_policies.ts";
import { resolvePeriod } from "../../domain/report/period.ts";
import { ForbiddenError } from "../../domain/errors.ts";
import type { TicketStatus } from "../../domain/ticket_status.ts";

const ZONE = "Asia/Tokyo";
const at = (local: string) => Date.parse(`${local}+09:00`);
const nineToSix = [{ start: "09:00", end: "18:00" }];
const BOSS = agent({ id: 1, name: "boss", role: "admin" });
const AKI = agent({ id: 2, name: "aki", role: "agent" });

/**
 * Mon–Fri 09:00–18:00 Tokyo with 2026-05-04 (Mon) a holiday; first response 120 and resolution
 * 600 business minutes.
 * - A: Fri 05-01 17:00, answered and resolved by boss Tue 05-05 10:00 — across the weekend and
 *   the holiday: 60 + 60 = 120 business minutes (met), 5 340 wall minutes.
 * - B: Wed 05-06 09:00, answered and resolved by aki at 12:00 (180: first response breached),
 *   reopened 13:00, resolved again 15:00: resolution 360 minutes wall and business, its clock
 *   ran 300 (met).
 * - C: Thu 05-07 10:00, never answered: a first-response breach by 06-01.
 */
async function fixture() {
  const t = await tempStore();
  const rt = testRuntime(t.store);
  await t.store.writeTx(async (tx) => {
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
    const id = await insertSchedule(tx, {
      name: "平日",
      timeZone: ZONE,
      weekly: { 1: nineToSix, 2: nineToSix, 3: nineToSix, 4: nineToSix, 5: nineToSix },
      holidays: [{ kind: "date", date: "2026-05-04" }],
    }, 0);
    await assignDepartmentSchedule(tx, 1, id);
    await saveSlaPolicy(tx, 1, "normal", {
      firstResponseMinutes: 120,
      nextResponseMinutes: null,
      resolutionMinutes: 600,
      warning: { kind: "percent", value: 80 },
      businessHoursOnly: true,
      actions: { warning: [], breach: [] },
    }, 0);
  });
  const open = (subject: string, now: number) =>
    run(rt, (ctx) =>
      createTicketForCustomer(ctx, {
        customer: { email: "taro@example.com", name: "太郎" },
        subject,
        text: "お願いします",
        channel: "mail",
      }), { now });
  const reply = (ticketId: number, who: typeof BOSS, status: TicketStatus, now: number) =>
    run(rt, (ctx) =>
      replyToCustomer(ctx, {
        ticketId,
        text: "承知しました",
        status,
      }), { actor: who, now });
  const status = (ticketId: number, to: TicketStatus, now: number) =>
    run(rt, (ctx) => changeStatus(ctx, { ticketId, status: to }), { actor: BOSS, now });

  const a = await open("請求書の再発行について", at("2026-05-01T17:00"));
  await reply(a.id, BOSS, "resolved", at("2026-05-05T10:00"));
  const b = await open("請求書の宛名変更", at("2026-05-06T09:00"));
  await reply(b.id, AKI, "resolved", at("2026-05-06T12:00"));
  await status(b.id, "open", at("2026-05-06T13:00"));
  await status(b.id, "resolved", at("2026-05-06T15:00"));
  await open("Cannot sign in", at("2026-05-07T10:00"));
  return t;
}

const NOW = at("2026-06-01T12:00");
const MAY = resolvePeriod("custom", NOW, ZONE, { from: "2026-05-01", to: "2026-05-31" });

Deno.test("reports: response and resolution times in wall and business time, SLA, reopen rate", async () => {
  const t = await fixture();
  try {
    const r = await periodReport(t.store.db, BOSS, { period: MAY, filter: {}, now: NOW });
    assert.deepEqual(r.received, 3);
    assert.deepEqual(r.replied, 2);
    assert.deepEqual(r.first_response, {
      count: 2,
      median_minutes: 2760,
      p90_minutes: 4824,
      business_median_minutes: 150,
      business_p90_minutes: 174,
    });
    assert.deepEqual(r.resolution, {
      count: 2,
      median_minutes: 2850,
      p90_minutes: 4842,
      business_median_minutes: 240,
      business_p90_minutes: 336,
    });
    assert.deepEqual(r.sla.first_response_met, 1);
    assert.deepEqual(r.sla.first_response_total, 3);
    assert.deepEqual(r.sla.first_response_pct, 33.3);
    assert.deepEqual(r.sla.resolution_pct, 100);
    assert.deepEqual([r.reopened, r.resolved, r.reopen_rate_pct], [1, 2, 50]);
    assert.deepEqual(r.by_day.length, 31);
    assert.deepEqual(r.by_day[0], { date: "2026-05-01", received: 1, replied: 0 });
    assert.deepEqual(r.by_day[4], { date: "2026-05-05", received: 0, replied: 1 });
    assert.deepEqual(r.by_day[5], { date: "2026-05-06", received: 1, replied: 1 });
    assert.deepEqual(r.heatmap[4][17], 1); // Friday 17:00
    assert.deepEqual(r.heatmap[2][9], 1); // Wednesday 09:00
    assert.deepEqual(r.heatmap.flat().reduce((s, n) => s + n), 3);
    assert.deepEqual(r.top_terms[0], { term: "請求書", count: 2 });
    const boss = r.by_agent.find((a) => a.agent_id === 1);
    assert.deepEqual(boss, {
      agent_id: 1,
      tickets: 1,
      replies: 1,
      first_response_median_minutes: 5340,
      handling: { replies: 0, median_seconds: null, total_seconds: 0 },
    });
  } finally {
    await t.cleanup();
  }
});

Deno.test("reports: an empty period has a zero row for every day and no times", async () => {
  const t = await fixture();
  try {
    const period = resolvePeriod("custom", NOW, ZONE, { from: "2026-04-01", to: "2026-04-03" });
    const r = await periodReport(t.store.db, BOSS, { period, filter: {}, now: NOW });
    assert.deepEqual([r.received, r.replied], [0, 0]);
    assert.deepEqual(r.by_day.map((d) => [d.date, d.received, d.replied]), [
      ["2026-04-01", 0, 0],
      ["2026-04-02", 0, 0],
      ["2026-04-03", 0, 0],
    ]);
    assert.deepEqual(r.first_response.median_minutes, null);
    assert.deepEqual(r.sla.first_response_pct, null);
    assert.deepEqual(r.reopen_rate_pct, null);
  } finally {
    await t.cleanup();
  }
});

Deno.test("reports: an agent sees only their own tickets and replies, never another's", async () => {
  const t = await fixture();
  try {
    const r = await periodReport(t.store.db, AKI, { period: MAY, filter: {}, now: NOW });
    assert.deepEqual([r.received, r.replied], [1, 1]);
    assert.deepEqual(r.first_response.business_median_minutes, 180);
    await assert.rejects(
      () => periodReport(t.store.db, AKI, { period: MAY, filter: { agentId: 1 }, now: NOW }),
      ForbiddenError,
    );
    const boss = await periodReport(t.store.db, BOSS, {
      period: MAY,
      filter: { agentId: 2 },
      now: NOW,
    });
    assert.deepEqual(boss.received, 1);
  } finally {
    await t.cleanup();
  }
});

Deno.test("dashboard: open work per status, load per agent and today's traffic", async () => {
  const t = await fixture();
  try {
    const d = await dashboard(t.store.db, BOSS, { now: at("2026-05-07T18:00"), timeZone: ZONE });
    assert.deepEqual(d.open, [{ status: "new", departmentId: 1, count: 1 }]);
    assert.deepEqual(d.load, [{ agentId: null, count: 1 }]);
    assert.deepEqual(d.today, { date: "2026-05-07", received: 1, replied: 0 });
    assert.ok(d.team);
    // C's first response was due Thu 12:00 and is overdue by 18:00.
    assert.deepEqual([d.dueToday, d.breached], [1, 1]);
    const mine = await dashboard(t.store.db, AKI, { now: at("2026-05-07T18:00"), timeZone: ZONE });
    assert.deepEqual([mine.team, mine.open, mine.today.received], [false, [], 0]);
  } finally {
    await t.cleanup();
  }
});

Deno.test("reports: a supervisor restricted to other departments sees none of these tickets", async () => {
  const t = await fixture();
  try {
    const restricted = {
      kind: "agent" as const,
      id: 1,
      name: "boss",
      role: "supervisor",
      departmentIds: [2],
    };
    const r = await periodReport(t.store.db, restricted, { period: MAY, filter: {}, now: NOW });
    assert.deepEqual([r.received, r.replied], [0, 0]);
    const d = await dashboard(t.store.db, restricted, {
      now: at("2026-05-07T18:00"),
      timeZone: ZONE,
    });
    assert.deepEqual([d.open, d.today.received, d.dueToday], [[], 0, 0]);
    const open = await periodReport(t.store.db, { ...restricted, departmentIds: [1] }, {
      period: MAY,
      filter: {},
      now: NOW,
    });
    assert.deepEqual(open.received, 3);
  } finally {
    await t.cleanup();
  }
});
