import assert from "node:assert/strict";
import type { Store } from "../../db/client.ts";
import { startScheduler } from "../../loops/scheduler.ts";
import {
  ensureHousekeeping,
  HOUSEKEEPING_BATCH,
  HOUSEKEEPING_DAILY,
  housekeepingDaily,
  SUBMISSION_RETENTION_MS,
} from "../../loops/housekeeping.ts";
import { timerHandlers } from "../../loops/timer_handlers.ts";
import { receiveMail } from "../../services/inbound_mail.ts";
import { testRuntime } from "../runtime.ts";
import { FORM_TOKEN_MAX_AGE_MS } from "../../domain/form_token.ts";
import { RECEIPT_TTL_MS } from "../../routes/inquiry.tsx";
import { rawMail, tempStore } from "../helpers.ts";

const DAY = 24 * 3_600_000;
const START = Date.UTC(2026, 6, 1);
const FIRE = START + 10 * 60_000; // the first run, 10 minutes after start

async function newTicket(store: Store, n: number) {
  const raw = rawMail({
    From: `c${n}@example.com`,
    To: "support@example.test",
    Subject: `件名 ${n}`,
    "Message-ID": `<m${n}@example.com>`,
  }, "本文");
  const rt = testRuntime(store, { now: () => START - 400 * DAY });
  const r = await receiveMail(rt, new TextEncoder().encode(raw), {
    mailFrom: `c${n}@example.com`,
    rcptTo: ["support@example.test"],
    remoteAddress: null,
  });
  assert.equal(r.kind, "created");
  if (r.kind !== "created") throw new Error("not created");
  const m = await store.db.selectFrom("messages").select("id").where("ticket_id", "=", r.ticketId)
    .executeTakeFirstOrThrow();
  return { ticketId: r.ticketId, messageId: m.id };
}

async function housekeepingTimers(store: Store) {
  return await store.db.selectFrom("timers").select(["due_at", "fired_at", "data_json"])
    .where("kind", "=", HOUSEKEEPING_DAILY).execute();
}

Deno.test("housekeeping: the daily run deletes only what expired and re-arms itself for tomorrow", async () => {
  const { store, cleanup } = await tempStore();
  const scheduler = startScheduler(
    testRuntime(store),
    { [HOUSEKEEPING_DAILY]: housekeepingDaily },
    {
      now: () => FIRE,
    },
  );
  try {
    const open = await newTicket(store, 1);
    const closedLongAgo = await newTicket(store, 2);
    const closedLately = await newTicket(store, 3);
    await store.writeTx(async (tx) => {
      await tx.insertInto("agents").values({
        email: "aki@example.test",
        name: "aki",
        password_hash: "x",
        role: "agent",
        time_zone: null,
        created_at: 0,
      }).execute();
      await tx.insertInto("sessions").values([
        { id_hash: "expired", agent_id: 1, created_at: 0, expires_at: FIRE - 1 },
        { id_hash: "live", agent_id: 1, created_at: 0, expires_at: FIRE + DAY },
      ]).execute();
      await tx.insertInto("form_submissions").values([
        { nonce_hash: "old", created_at: FIRE - SUBMISSION_RETENTION_MS - 1, ...ids(open) },
        { nonce_hash: "recent", created_at: FIRE - DAY, ...ids(open) },
      ]).execute();
      await tx.updateTable("tickets").set({ status: "resolved", updated_at: FIRE - 121 * DAY })
        .where("id", "=", closedLongAgo.ticketId).execute();
      // Expired for the customer (30 days) but within retention: it still answers 410.
      await tx.updateTable("tickets").set({ status: "no_action", updated_at: FIRE - 31 * DAY })
        .where("id", "=", closedLately.ticketId).execute();
      const link = (name: string, ticketId: number, revokedAt: number | null = null) => ({
        ticket_id: ticketId,
        token_hash: name,
        created_at: FIRE - 200 * DAY,
        revoked_at: revokedAt,
      });
      await tx.insertInto("customer_links").values([
        link("revoked-long-ago", open.ticketId, FIRE - 91 * DAY),
        link("revoked-lately", open.ticketId, FIRE - DAY),
        link("open-ticket", open.ticketId),
        link("closed-long-ago", closedLongAgo.ticketId),
        link("closed-lately", closedLately.ticketId),
      ]).execute();
      await tx.insertInto("auto_reply_log").values([
        { department_id: 1, address: "old@example.com", sent_at: FIRE - DAY - 1 },
        { department_id: 1, address: "recent@example.com", sent_at: FIRE - 3_600_000 },
      ]).execute();
    });

    assert.equal(await store.writeTx((tx) => ensureHousekeeping(tx, START)), true);
    assert.equal(await store.writeTx((tx) => ensureHousekeeping(tx, START)), false, "armed once");
    assert.equal(await scheduler.tick(), 1);

    const sessions = await store.db.selectFrom("sessions").select("id_hash").execute();
    assert.deepEqual(sessions.map((r) => r.id_hash), ["live"]);
    const forms = await store.db.selectFrom("form_submissions").select("nonce_hash").execute();
    assert.deepEqual(forms.map((r) => r.nonce_hash), ["recent"]);
    const links = await store.db.selectFrom("customer_links").select("token_hash").execute();
    assert.deepEqual(links.map((l) => l.token_hash).sort(), [
      "closed-lately",
      "open-ticket",
      "revoked-lately",
    ]);
    const log = await store.db.selectFrom("auto_reply_log").select("address").execute();
    assert.deepEqual(log.map((l) => l.address), ["recent@example.com"]);
    assert.equal(
      (await store.db.selectFrom("tickets").select("id").execute()).length,
      3,
      "tickets stay",
    );

    const [timer] = await housekeepingTimers(store);
    assert.equal(timer.fired_at, null, "re-armed");
    assert.equal(timer.due_at, FIRE + DAY);
    assert.equal((await housekeepingTimers(store)).length, 1);
    assert.equal(
      await store.writeTx((tx) => ensureHousekeeping(tx, FIRE)),
      false,
      "a restart keeps tomorrow's run",
    );
    assert.equal(await scheduler.tick(), 0, "nothing more today");
  } finally {
    await scheduler.stop();
    await cleanup();
  }
});

function ids(t: { ticketId: number; messageId: number }) {
  return { receipt_hash: null, ticket_id: t.ticketId, message_id: t.messageId };
}

Deno.test("housekeeping: a backlog larger than a batch continues a second later, then daily", async () => {
  const { store, cleanup } = await tempStore();
  const clock = { now: FIRE };
  const scheduler = startScheduler(
    testRuntime(store),
    { [HOUSEKEEPING_DAILY]: housekeepingDaily },
    {
      now: () => clock.now,
    },
  );
  try {
    await store.writeTx(async (tx) => {
      await tx.insertInto("agents").values({
        email: "aki@example.test",
        name: "aki",
        password_hash: "x",
        role: "agent",
        time_zone: null,
        created_at: 0,
      }).execute();
      const rows = Array.from({ length: HOUSEKEEPING_BATCH + 5 }, (_, i) => ({
        id_hash: `s${i}`,
        agent_id: 1,
        created_at: 0,
        expires_at: START - i,
      }));
      for (let i = 0; i < rows.length; i += 500) {
        await tx.insertInto("sessions").values(rows.slice(i, i + 500)).execute();
      }
    });
    await store.writeTx((tx) => ensureHousekeeping(tx, START));
    assert.equal(await scheduler.tick(), 1);
    const left = async () =>
      (await store.db.selectFrom("sessions").select("id_hash").execute()).length;
    assert.equal(await left(), 5);
    assert.equal((await housekeepingTimers(store))[0].due_at, FIRE + 1_000);
    clock.now = FIRE + 1_000;
    assert.equal(await scheduler.tick(), 1);
    assert.equal(await left(), 0);
    assert.equal((await housekeepingTimers(store))[0].due_at, FIRE + 1_000 + DAY);
  } finally {
    await scheduler.stop();
    await cleanup();
  }
});

Deno.test("housekeeping: a link issued later for a long-closed ticket goes when its own age crosses the line", async () => {
  const { store, cleanup } = await tempStore();
  const clock = { now: FIRE };
  const scheduler = startScheduler(
    testRuntime(store),
    { [HOUSEKEEPING_DAILY]: housekeepingDaily },
    {
      now: () => clock.now,
    },
  );
  try {
    const { ticketId } = await newTicket(store, 1);
    await store.writeTx((tx) =>
      tx.updateTable("tickets").set({ status: "resolved", updated_at: FIRE - 300 * DAY })
        .where("id", "=", ticketId).execute()
    );
    await store.writeTx((tx) => ensureHousekeeping(tx, START));
    assert.equal(await scheduler.tick(), 1); // the first window ends 120 days before FIRE
    // An agent answered the closed ticket without reopening it: a link, the ticket unchanged.
    await store.writeTx((tx) =>
      tx.insertInto("customer_links").values({
        ticket_id: ticketId,
        token_hash: "late",
        created_at: FIRE - 120 * DAY + 3_600_000,
      }).execute()
    );
    clock.now = FIRE + DAY;
    assert.equal(await scheduler.tick(), 1);
    assert.deepEqual(await store.db.selectFrom("customer_links").select("id").execute(), []);
  } finally {
    await scheduler.stop();
    await cleanup();
  }
});

Deno.test("housekeeping: the registry handles the timer, and form records outlive the token and the thank-you page", () => {
  const handlers = timerHandlers();
  assert.equal(handlers[HOUSEKEEPING_DAILY], housekeepingDaily);
  assert.ok(SUBMISSION_RETENTION_MS > FORM_TOKEN_MAX_AGE_MS + 60_000);
  assert.ok(SUBMISSION_RETENTION_MS >= RECEIPT_TTL_MS);
});
