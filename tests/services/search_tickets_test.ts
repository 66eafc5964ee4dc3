/**
 * Search results are tickets: one result per ticket with its newest (or best) matching message,
 * a total that counts tickets, stable pages, bounded walks with a filter-first fallback, and
 * Latin prefixes widened to the indexed words they start.
 */
import assert from "node:assert/strict";
import { sql } from "kysely";
import type { Store } from "../../db/client.ts";
import { wordsStarting } from "../../db/search.ts";
import { searchTickets } from "../../services/search.ts";
import { createTicketForCustomer } from "../runtime.ts";
import { tempStore } from "../helpers.ts";

const T0 = Date.UTC(2026, 6, 7, 1, 0, 0);

async function ticket(store: Store, i: number, text: string, at = T0 + i * 60_000) {
  const t = await createTicketForCustomer(store, {
    customer: { email: `c${i}@example.com`, name: `Customer ${i}` },
    subject: `件名${i}`,
    text,
    channel: "phone",
    agentId: null,
    now: at,
  });
  return { id: t.id, number: t.number };
}

/** A further message on a ticket, written as a reply would be (triggers queue it for the index). */
async function message(store: Store, ticketId: number, text: string, at: number) {
  return await store.writeTx(async (tx) => {
    const { id } = await tx.insertInto("messages").values({
      ticket_id: ticketId,
      direction: "out",
      message_id: `<m${at}-${ticketId}@example.test>`,
      from_address: "support@example.test",
      from_name: "",
      to_json: "[]",
      subject: "",
      text_body: text,
      html_body: null,
      agent_id: null,
      created_at: at,
    } as never).returning("id").executeTakeFirstOrThrow();
    return Number(id);
  });
}

Deno.test("search: a ticket with several matching messages is one result with its newest match", async () => {
  const { store, cleanup } = await tempStore();
  try {
    const a = await ticket(store, 1, "配達の時間を指定したい");
    const newest = await message(store, a.id, "配達は明日の午前です", T0 + 3_600_000);
    await message(store, a.id, "ほかの話題です", T0 + 7_200_000);
    await ticket(store, 2, "請求書の件");
    const page = await searchTickets(store.db, { q: "配達" });
    assert.equal(page.total, 1);
    assert.equal(page.results.length, 1);
    assert.equal(page.results[0].ticket.number, a.number);
    assert.equal(page.results[0].messageId, newest);
    assert.match(page.results[0].snippet, /<mark>配達<\/mark>は明日/);
    const best = await searchTickets(store.db, { q: "配達", sort: "relevance" });
    assert.deepEqual(best.results.map((r) => r.ticket.number), [a.number]);
  } finally {
    await cleanup();
  }
});

Deno.test("search: pages of tickets do not repeat or skip a ticket, and the total counts tickets", async () => {
  const { store, cleanup } = await tempStore();
  try {
    const numbers: number[] = [];
    for (let i = 0; i < 23; i++) {
      const t = await ticket(store, i, `共通の語句 ${i}`);
      // A second matching message, older ones interleaved with newer tickets' first messages.
      await message(store, t.id, "共通の語句の続き", T0 + i * 60_000 + 30_000);
      numbers.push(t.number);
    }
    const first = await searchTickets(store.db, { q: "共通" });
    const second = await searchTickets(store.db, { q: "共通", page: 2 });
    assert.equal(first.total, 23);
    assert.equal(first.results.length, 20);
    assert.equal(first.hasNext, true);
    assert.equal(second.hasNext, false);
    const seen = [...first.results, ...second.results].map((r) => r.ticket.number);
    assert.deepEqual(seen, [...numbers].reverse());
  } finally {
    await cleanup();
  }
});

Deno.test("search: a walk that stops early says the total is a lower bound", async () => {
  const { store, cleanup } = await tempStore();
  try {
    for (let i = 0; i < 8; i++) await ticket(store, i, "ペンギン急便で届きました");
    const bounds = { walkFirst: 2, walkLimit: 5, filterFirstMax: 100 };
    const page = await searchTickets(store.db, { q: "ペンギン", bounds });
    assert.equal(page.total, 5);
    assert.equal(page.totalExact, false);
    const all = await searchTickets(store.db, { q: "ペンギン" });
    assert.equal(all.total, 8);
    assert.equal(all.totalExact, true);
  } finally {
    await cleanup();
  }
});

Deno.test("search: a rare filter is applied first and finds old tickets the walk would not reach", async () => {
  const { store, cleanup } = await tempStore();
  try {
    const old = await ticket(store, 0, "配達について");
    for (let i = 1; i < 10; i++) await ticket(store, i, "配達について");
    await store.writeTx(async (tx) => {
      const { id } = await tx.insertInto("agents").values({
        email: "aki@example.test",
        name: "aki",
        password_hash: "x",
        role: "agent",
        created_at: 0,
      }).returning("id").executeTakeFirstOrThrow();
      await tx.updateTable("tickets").set({ assignee_id: id }).where("id", "=", old.id).execute();
    });
    const agentId = Number(
      (await sql<{ id: number }>`select id from agents where email = 'aki@example.test'`
        .execute(store.db)).rows[0].id,
    );
    const bounds = { walkFirst: 2, walkLimit: 4, filterFirstMax: 5 };
    const page = await searchTickets(store.db, { q: "配達", assignee: agentId, bounds });
    assert.equal(page.plan, "filter-first");
    assert.deepEqual(page.results.map((r) => r.ticket.number), [old.number]);
    assert.equal(page.total, 1);
    assert.equal(page.totalExact, true);
    // Without the filter-first plan the bounded walk misses it and says so.
    const walked = await searchTickets(store.db, {
      q: "配達",
      assignee: agentId,
      bounds: { ...bounds, filterFirstMax: 0 },
    });
    assert.deepEqual(walked.results, []);
    assert.equal(walked.totalExact, false);
  } finally {
    await cleanup();
  }
});

Deno.test("search: a Latin prefix becomes the indexed words it starts", async () => {
  const { store, cleanup } = await tempStore();
  try {
    await ticket(store, 1, "The delivery was late");
    await ticket(store, 2, "It was delivered today");
    await ticket(store, 3, "Deli sandwiches");
    const words = await wordsStarting(store.db, ["deliv", "zzz"]);
    assert.deepEqual(words.get("deliv"), ["delivered", "delivery"]);
    assert.deepEqual(words.get("zzz"), []);
    const page = await searchTickets(store.db, { q: "deliv" });
    assert.deepEqual(page.results.map((r) => r.ticket.number).sort(), [1001, 1002]);
    assert.equal((await searchTickets(store.db, { q: "zzz" })).total, 0);
    assert.equal((await searchTickets(store.db, { q: "deli" })).total, 3);
  } finally {
    await cleanup();
  }
});

Deno.test("search: migration 0024 lists the words of an index built before it", async () => {
  const { store, cleanup } = await tempStore();
  try {
    await ticket(store, 1, "Shipment tracking number");
    const m0024 = await import("../../db/migrations/0024_search_words.ts");
    await store.writeTx(async (tx) => {
      await m0024.down(tx as never);
      await m0024.up(tx as never);
    });
    const words = (await sql<{ word: string }>`select word from search_words order by word`
      .execute(store.db)).rows.map((r) => r.word);
    assert.ok(words.includes("shipment") && words.includes("tracking"), words.join(" "));
    assert.ok(!words.some((w) => /[\u3000-\u9fff]/.test(w)), words.join(" "));
    assert.equal((await searchTickets(store.db, { q: "track" })).total, 1);
  } finally {
    await cleanup();
  }
});

Deno.test("search: best match first ranks tickets by their best message, newest first does not", async () => {
  const { store, cleanup } = await tempStore();
  try {
    const strong = await ticket(store, 1, "配達 配達 配達の時間");
    const weak = await ticket(
      store,
      2,
      "長いお問い合わせです。請求書と領収書とパスワードの件、それから配達の件もあります。",
    );
    const newest = await searchTickets(store.db, { q: "配達" });
    assert.deepEqual(newest.results.map((r) => r.ticket.number), [weak.number, strong.number]);
    const best = await searchTickets(store.db, { q: "配達", sort: "relevance" });
    assert.deepEqual(best.results.map((r) => r.ticket.number), [strong.number, weak.number]);
    assert.equal(best.total, 2);
  } finally {
    await cleanup();
  }
});

Deno.test("search: indexing an existing database reports progress and resumes after a stop", async () => {
  const { store, cleanup } = await tempStore();
  try {
    for (let i = 0; i < 6; i++) await ticket(store, i, `古い問い合わせ ${i} 配達`);
    // As migration 0015 leaves an existing database: every message queued, none indexed.
    await sql`delete from search_fts`.execute(store.db);
    await sql`insert into search_pending (message_id, fresh) select id, 1 from messages`
      .execute(store.db);
    const { indexPending, pendingCount } = await import("../../db/search.ts");
    const size = { batch: 2, batchesPerTransaction: 1 };
    const seen: [number, number][] = [];
    await assert.rejects(() =>
      indexPending(store.db, (done, total) => {
        seen.push([done, total]);
        if (done >= 4) throw new Error("stopped");
      }, size)
    );
    assert.deepEqual(seen, [[2, 6], [4, 6]]);
    // What was committed stays indexed; the rest is still queued.
    assert.equal(await pendingCount(store.db), 2);
    assert.equal((await searchTickets(store.db, { q: "配達" })).total, 4);
    const again: [number, number][] = [];
    await indexPending(store.db, (done, total) => again.push([done, total]), size);
    assert.deepEqual(again, [[2, 2]]);
    assert.equal(await pendingCount(store.db), 0);
    assert.equal((await searchTickets(store.db, { q: "配達" })).total, 6);
  } finally {
    await cleanup();
  }
});
