/**
 * The live hub over the change feed: catch-up by Last-Event-ID, resets, presence expiry, and two
 * processes (two stores and two hubs on one database file) seeing each other's changes.
 */
import assert from "node:assert/strict";
import { createLiveHub, type LiveEvent, type LiveHub } from "../../services/live.ts";
import { openStore, type Store } from "../../db/client.ts";
import { transact } from "../../services/context.ts";
import { beatPresence, PRESENCE_TTL_MS } from "../../services/presence.ts";
import { LIVE_RETENTION_MS } from "../../db/live_changes.ts";
import { createAgent, createTicketForCustomer, testRuntime } from "../runtime.ts";
import { tempStore } from "../helpers.ts";

function collector() {
  const seen: LiveEvent[] = [];
  return { seen, sub: { onEvent: (e: LiveEvent) => seen.push(e), onClose() {} } };
}

async function fixture(store: Store) {
  const yamada = await createAgent(store, {
    email: "yamada@example.test",
    name: "山田",
    password: "correct horse battery",
    role: "agent",
  });
  const ticket = await createTicketForCustomer(store, {
    customer: { email: "taro@example.com", name: "太郎" },
    subject: "問い合わせ",
    text: "本文",
    channel: "web",
  });
  return { yamada, ticket };
}

function beat(
  store: Store,
  agent: { id: number; name: string },
  ticketId: number,
  state: "viewing" | "writing" | "gone",
  now: number,
) {
  const rt = testRuntime(store, { now: () => now });
  return transact(
    rt,
    { kind: "agent", id: agent.id, name: agent.name, role: "agent" },
    (ctx) => beatPresence(ctx, { ticketId, state }),
  );
}

Deno.test("live hub: a reconnect gets the state of what changed since; an unknown id gets reset", async () => {
  const { store, cleanup } = await tempStore();
  let now = Date.now();
  const hub = createLiveHub(store.db, { now: () => now, pollMs: 60_000 });
  try {
    const { yamada, ticket } = await fixture(store);
    const first = collector();
    const s1 = await hub.subscribe(first.sub);
    await beat(store, yamada, ticket.id, "viewing", now);
    await hub.refresh();
    s1.unsubscribe();
    const last = first.seen.at(-1)!.id!;
    assert.equal(first.seen.at(-1)!.type, "presence");

    await beat(store, yamada, ticket.id, "writing", now);
    const again = await hub.subscribe({ onEvent() {}, onClose() {} }, last);
    assert.notEqual(again.missed, "reset");
    const missed = again.missed as LiveEvent[];
    assert.deepEqual(missed.map((e) => [e.type, e.data.people]), [
      ["presence", [{ id: yamada.id, name: "山田", state: "writing" }]],
    ]);
    // Already up to date: nothing to replay.
    assert.deepEqual(
      (await hub.subscribe({ onEvent() {}, onClose() {} }, missed[0].id)).missed,
      [],
    );
    again.unsubscribe();
    assert.equal((await hub.subscribe({ onEvent() {}, onClose() {} }, "other.1")).missed, "reset");
    assert.equal((await hub.subscribe({ onEvent() {}, onClose() {} }, "99999")).missed, "reset");
    // Past the retention the rows are pruned by a later write: the old id can only reset.
    now += LIVE_RETENTION_MS + 1;
    for (let i = 0; i < 260; i++) {
      await beat(store, yamada, ticket.id, i % 2 ? "viewing" : "writing", now);
    }
    assert.equal((await hub.subscribe({ onEvent() {}, onClose() {} }, last)).missed, "reset");
  } finally {
    hub.close();
    await cleanup();
  }
});

Deno.test("live hub: a presence that expires without a beat is told as gone", async () => {
  const { store, cleanup } = await tempStore();
  let now = Date.now();
  const hub = createLiveHub(store.db, { now: () => now, pollMs: 60_000 });
  try {
    const { yamada, ticket } = await fixture(store);
    const c = collector();
    await hub.subscribe(c.sub);
    await beat(store, yamada, ticket.id, "viewing", now);
    await hub.refresh();
    assert.equal((c.seen.at(-1)!.data.people as unknown[]).length, 1);
    now += PRESENCE_TTL_MS + 1;
    await hub.refresh();
    const { number, people } = c.seen.at(-1)!.data;
    assert.deepEqual({ number, people }, { number: ticket.number, people: [] });
  } finally {
    hub.close();
    await cleanup();
  }
});

Deno.test("live hub: two processes on one database file see each other's presence and changes", async () => {
  const one = await tempStore();
  const two = await openStore(`file:${one.dir}/test.db`);
  const hubs: LiveHub[] = [];
  try {
    const { yamada, ticket } = await fixture(one.store);
    // Process 2 listens; agent 山田 is on process 1.
    const hub2 = createLiveHub(two.db, { pollMs: 20 });
    hubs.push(hub2);
    const heard = collector();
    await hub2.subscribe(heard.sub);
    await beat(one.store, yamada, ticket.id, "writing", Date.now());
    const presence = await waitFor(heard.seen, (e) => e.type === "presence");
    assert.deepEqual(presence.data.people, [{ id: yamada.id, name: "山田", state: "writing" }]);

    // A change committed by process 2 reaches process 1's listener.
    const hub1 = createLiveHub(one.store.db, { pollMs: 20 });
    hubs.push(hub1);
    const heard1 = collector();
    await hub1.subscribe(heard1.sub);
    await transact(testRuntime(two), { kind: "system" }, async (ctx) => {
      await ctx.tx.updateTable("tickets").set({ status: "pending" }).where("id", "=", ticket.id)
        .execute();
      ctx.notify({ ticketId: ticket.id });
    });
    const changed = await waitFor(heard1.seen, (e) => e.type === "ticket");
    assert.equal(changed.data.status, "pending");
    assert.equal(changed.data.number, ticket.number);
  } finally {
    for (const h of hubs) h.close();
    await two.close();
    await one.cleanup();
  }
});

/** Waits for an event (a deadline, not a timing assertion: fails instead of hanging). */
async function waitFor(seen: LiveEvent[], match: (e: LiveEvent) => boolean): Promise<LiveEvent> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = seen.find(match);
    if (found) return found;
    if (Date.now() > deadline) throw new Error("no matching live event within 10 s");
    await new Promise((r) => setTimeout(r, 10));
  }
}

Deno.test("live feed: a change is recorded in its own transaction, once per ticket, and not at all if it rolls back", async () => {
  const { store, cleanup } = await tempStore();
  try {
    const { ticket } = await fixture(store);
    const before = await store.db.selectFrom("live_changes").select("id").execute();
    await transact(testRuntime(store), { kind: "system" }, (ctx) => {
      ctx.notify({ ticketId: ticket.id });
      ctx.notify({ ticketId: ticket.id });
      ctx.notify({ ticketId: ticket.id, kind: "presence" });
      return Promise.resolve();
    });
    const rows = await store.db.selectFrom("live_changes").select(["ticket_id", "kind"])
      .where("id", ">", before.at(-1)?.id ?? 0).orderBy("id").execute();
    assert.deepEqual(rows, [
      { ticket_id: ticket.id, kind: "ticket" },
      { ticket_id: ticket.id, kind: "presence" },
    ]);
    await assert.rejects(
      transact(testRuntime(store), { kind: "system" }, (ctx) => {
        ctx.notify({ ticketId: ticket.id });
        return Promise.reject(new Error("boom"));
      }),
      /boom/,
    );
    assert.equal(
      (await store.db.selectFrom("live_changes").select("id").execute()).length,
      before.length + 2,
    );
  } finally {
    await cleanup();
  }
});
