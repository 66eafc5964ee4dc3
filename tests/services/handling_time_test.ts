import assert from "node:assert/strict";
import { tempStore, testConfig } from "../helpers.ts";
import { agent, createAgent, run, testRuntime } from "../runtime.ts";
import { createTicketForCustomer } from "../../services/customer_tickets.ts";
import { replyToCustomer } from "../../services/replies.ts";
import { composeStampFor } from "../../services/handling_time.ts";
import { periodReport } from "../../services/reports.ts";
import { assignTicket } from "../../services/assignment.ts";
import { resolvePeriod } from "../../domain/report/period.ts";
import { HANDLING_CAP_SECONDS } from "../../domain/report/compose_stamp.ts";
import { createApp } from "../../routes/mod.tsx";
import type { Store } from "../../db/client.ts";

const ZONE = "Asia/Tokyo";
const at = (local: string) => Date.parse(`${local}+09:00`);
const MIN = 60_000;

async function handlingRows(store: Store) {
  return await store.db.selectFrom("reply_handling")
    .select(["ticket_id", "agent_id", "message_id", "seconds"]).orderBy("id").execute();
}

async function fixture() {
  const t = await tempStore();
  const boss = await createAgent(t.store, {
    email: "boss@example.test",
    name: "Boss",
    password: "correct horse battery",
    role: "supervisor",
  });
  const aki = await createAgent(t.store, {
    email: "aki@example.test",
    name: "亜紀",
    password: "correct horse battery",
    role: "agent",
  });
  const rt = testRuntime(t.store);
  const open = (subject: string, now: number) =>
    run(rt, (ctx) =>
      createTicketForCustomer(ctx, {
        customer: { email: "taro@example.com", name: "太郎" },
        subject,
        text: "本文",
        channel: "mail",
      }), { now });
  return { ...t, rt, boss, aki, open };
}

Deno.test("handling time: from the form's stamp to the send, capped, once per form, only for its agent and ticket", async () => {
  const t = await fixture();
  try {
    const a = await t.open("請求書", at("2026-05-11T09:00"));
    const b = await t.open("ログイン", at("2026-05-11T09:00"));
    const AKI = agent({ id: t.aki.id, name: "亜紀", role: "agent" });
    const stamp = (ticketId: number, now: number, agentId = t.aki.id) =>
      composeStampFor(t.store.db, { agentId, ticketId, now });
    const reply = (ticketId: number, composeStamp: string | undefined, now: number) =>
      run(
        t.rt,
        (ctx) => replyToCustomer(ctx, { ticketId, text: "回答", status: "open", composeStamp }),
        { actor: AKI, now },
      );

    const s1 = (await stamp(a.id, at("2026-05-11T10:00")))!;
    const m1 = await reply(a.id, s1, at("2026-05-11T10:04"));
    // The same form sent again (a replay) counts once.
    await reply(a.id, s1, at("2026-05-11T10:06"));
    // Another ticket's stamp, another agent's, or a forged one: nothing.
    await reply(b.id, s1, at("2026-05-11T10:07"));
    await reply(b.id, await stamp(b.id, at("2026-05-11T10:00"), t.boss.id), at("2026-05-11T10:08"));
    await reply(
      b.id,
      s1.replace(/^[0-9a-z]+/, (x) => (parseInt(x, 36) - 60_000).toString(36)),
      at("2026-05-11T10:09"),
    );
    await reply(b.id, undefined, at("2026-05-11T10:10"));
    // Left open all night: the cap.
    await reply(b.id, await stamp(b.id, at("2026-05-10T18:00")), at("2026-05-11T10:11"));
    assert.deepEqual(await handlingRows(t.store), [
      { ticket_id: a.id, agent_id: t.aki.id, message_id: m1, seconds: 240 },
      { ticket_id: b.id, agent_id: t.aki.id, message_id: m1 + 6, seconds: HANDLING_CAP_SECONDS },
    ]);
  } finally {
    await t.cleanup();
  }
});

Deno.test("reports: a ticket counts for its assignee, a reply for its writer; handling time per agent", async () => {
  const t = await fixture();
  try {
    const BOSS = agent({ id: t.boss.id, name: "Boss", role: "supervisor" });
    const AKI = agent({ id: t.aki.id, name: "亜紀", role: "agent" });
    const a = await t.open("請求書", at("2026-05-11T09:00"));
    const b = await t.open("配送", at("2026-05-11T09:30"));
    await run(t.rt, (ctx) => assignTicket(ctx, { ticketId: a.id, assigneeId: t.boss.id }), {
      actor: BOSS,
      now: at("2026-05-11T09:10"),
    });
    // Aki answers Boss's ticket (5 min composing) and her own (10, then 2 min).
    const send = async (ticketId: number, opened: number, minutes: number) => {
      const composeStamp = await composeStampFor(t.store.db, {
        agentId: t.aki.id,
        ticketId,
        now: opened,
      });
      await run(
        t.rt,
        (ctx) => replyToCustomer(ctx, { ticketId, text: "回答", status: "open", composeStamp }),
        { actor: AKI, now: opened + minutes * MIN },
      );
    };
    await send(a.id, at("2026-05-11T10:00"), 5);
    await send(b.id, at("2026-05-11T11:00"), 10);
    await send(b.id, at("2026-05-11T12:00"), 2);
    const period = resolvePeriod("custom", at("2026-05-12T00:00"), ZONE, {
      from: "2026-05-11",
      to: "2026-05-11",
    });
    const r = await periodReport(t.store.db, BOSS, { period, filter: {}, now: period.toMs });
    const row = (id: number) => r.by_agent.find((x) => x.agent_id === id);
    assert.deepEqual(row(t.boss.id)?.tickets, 1, "Boss's ticket though Aki answered it");
    assert.deepEqual(row(t.boss.id)?.replies, 0);
    assert.deepEqual(row(t.aki.id)?.tickets, 1, "the ticket she was assigned by replying");
    assert.deepEqual(row(t.aki.id)?.replies, 3);
    assert.deepEqual(row(t.aki.id)?.handling, {
      replies: 3,
      median_seconds: 300,
      total_seconds: 1020,
    });
    assert.deepEqual(r.handling, { replies: 3, median_seconds: 300, total_seconds: 1020 });
    // Filtering on Boss: his ticket; the replies and handling of Boss (none).
    const bosses = await periodReport(t.store.db, BOSS, {
      period,
      filter: { agentId: t.boss.id },
      now: period.toMs,
    });
    assert.deepEqual([bosses.received, bosses.replied, bosses.handling.replies], [1, 0, 0]);
  } finally {
    await t.cleanup();
  }
});

Deno.test("web: the reply form carries a signed stamp without JavaScript; sending it records the time", async () => {
  const t = await fixture();
  let now = at("2026-05-11T10:00");
  const app = createApp({
    store: t.store,
    config: testConfig(t.dir),
    outbox: { wake: () => {} },
    now: () => now,
  });
  try {
    const a = await t.open("請求書", at("2026-05-11T09:00"));
    const login = await app.request("http://localhost/login", {
      method: "POST",
      headers: { origin: "http://localhost" },
      body: new URLSearchParams({
        email: "aki@example.test",
        password: "correct horse battery",
        next: "/",
      }),
    });
    const cookie = login.headers.get("set-cookie")!.split(";")[0];
    const page = await (await app.request(`http://localhost/tickets/${a.number}`, {
      headers: { cookie },
    })).text();
    const stamp = page.match(/<input type="hidden" name="compose_stamp" value="([^"]+)"/)?.[1];
    assert.ok(stamp, "the form has the stamp");
    const version = page.match(/<input type="hidden" name="version" value="(\d+)"/)![1];
    // A refused send (a version the ticket never had: stale) shows the form again, same stamp.
    now += 3 * MIN;
    const refused = await app.request(`http://localhost/tickets/${a.number}/reply`, {
      method: "POST",
      headers: { cookie, origin: "http://localhost" },
      body: new URLSearchParams({
        text: "回答",
        status: "open",
        version: "999",
        compose_stamp: stamp,
      }),
    });
    assert.equal(refused.status, 409);
    assert.match(await refused.text(), new RegExp(`name="compose_stamp" value="${stamp}"`));
    now += 4 * MIN;
    const sent = await app.request(`http://localhost/tickets/${a.number}/reply`, {
      method: "POST",
      headers: { cookie, origin: "http://localhost" },
      body: new URLSearchParams({
        text: "回答します",
        status: "open",
        version,
        compose_stamp: stamp,
      }),
    });
    assert.equal(sent.status, 303);
    const rows = await handlingRows(t.store);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].seconds, 420);
  } finally {
    await t.cleanup();
  }
});
