/** The inbox list: cursor paging in every folder and order, query plans, trigger-kept counts. */
import assert from "node:assert/strict";
import {
  countByStatus,
  INBOX_SORTS,
  type InboxQuery,
  listTickets,
  type TicketPage,
} from "../../db/ticket_list.ts";
import { STATUSES, type TicketStatus } from "../../domain/ticket_status.ts";
import { withLoggingDb } from "./list_fixture.ts";
import { tempStore } from "../helpers.ts";

const T0 = Date.UTC(2026, 6, 7);
const N = 157;

/**
 * N tickets with many ties: activity on a coarse grid (several tickets share each instant),
 * a third with a deadline (also shared), the rest none, statuses and customers in rotation.
 */
async function seeded() {
  const t = await tempStore();
  await t.store.writeTx(async (tx) => {
    await tx.insertInto("customers").values([1, 2, 3].map((i) => ({
      email: `c${i}@example.com`,
      name: `Customer ${i}`,
      created_at: T0,
      updated_at: T0,
    }))).execute();
    await tx.insertInto("tickets").values(Array.from({ length: N }, (_, i) => ({
      number: 1001 + i,
      subject: i % 10 === 0 ? `請求書 ${i}` : `Question ${i}`,
      status: STATUSES[i % STATUSES.length],
      customer_id: 1 + (i % 3),
      department_id: 1,
      reply_token: `tok${i}`,
      channel: "email",
      created_at: T0,
      updated_at: T0,
      last_message_at: T0 + ((i * 7) % 40) * 1000,
      sla_due_at: i % 3 === 0 ? T0 + ((i * 5) % 6) * 60_000 : null,
    }))).execute();
  });
  // A logging Kysely on its own connection: the queries listTickets runs, to explain them.
  return withLoggingDb(t);
}

type Setup = Awaited<ReturnType<typeof seeded>>;

/** The folder in the expected order, computed in JS from every row. */
async function expected(t: Setup, q: InboxQuery): Promise<number[]> {
  const rows = await t.db.selectFrom("tickets")
    .innerJoin("customers", "customers.id", "tickets.customer_id")
    .select(["tickets.id", "number", "status", "last_message_at", "sla_due_at", "customer_id"])
    .select(["subject", "customers.name"]).execute();
  const due = (r: typeof rows[number]) => r.sla_due_at ?? Number.MAX_SAFE_INTEGER;
  return rows
    // すべて is every folder but 迷惑メール; a customer's own list shows all of theirs.
    .filter((r) => q.status ? r.status === q.status : q.customerId || r.status !== "spam")
    .filter((r) => !q.customerId || r.customer_id === q.customerId)
    .filter((r) => !q.search || r.subject.includes(q.search) || r.name.includes(q.search))
    .sort((a, b) => {
      if (q.sort === "oldest") return a.last_message_at - b.last_message_at || a.id - b.id;
      if (q.sort === "due" && due(a) !== due(b)) return due(a) - due(b);
      return b.last_message_at - a.last_message_at || b.id - a.id;
    })
    .map((r) => r.number);
}

const FOLDERS: Array<TicketStatus | undefined> = [undefined, ...STATUSES];

Deno.test("ticket list: following next, then prev, walks every folder and order exactly once", async () => {
  const t = await seeded();
  try {
    for (const status of FOLDERS) {
      for (const sort of INBOX_SORTS) {
        const q: InboxQuery = { status, sort, perPage: 7 };
        const want = await expected(t, q);
        const pages: TicketPage[] = [await listTickets(t.db, q)];
        while (pages.at(-1)!.next) {
          pages.push(await listTickets(t.db, { ...q, cursor: pages.at(-1)!.next! }));
        }
        const label = `${status ?? "all"}/${sort}`;
        assert.deepEqual(pages.flatMap((p) => p.tickets.map((tk) => tk.number)), want, label);
        assert.ok(pages.every((p) => p.total === want.length), `${label}: total`);
        assert.deepEqual(
          pages.map((p) => p.offset),
          pages.map((_, i) => i * 7),
          `${label}: offset`,
        );
        assert.equal(pages[0].prev, null, `${label}: no page before the first`);
        // Back from the last page: each prev gives the page before, the first one by "".
        for (let i = pages.length - 1; i > 0; i--) {
          const prev = pages[i].prev!;
          const back = prev === "" ? await listTickets(t.db, q) : await listTickets(t.db, {
            ...q,
            cursor: prev,
          });
          assert.deepEqual(
            back.tickets.map((tk) => tk.number),
            pages[i - 1].tickets.map((tk) => tk.number),
            `${label}: prev of page ${i + 1}`,
          );
          assert.equal(back.offset, pages[i - 1].offset);
        }
      }
    }
  } finally {
    await t.cleanup();
  }
});

Deno.test("ticket list: ?page= still works, bounded; a customer's list and a search page too", async () => {
  const t = await seeded();
  try {
    const all = await expected(t, {});
    const third = await listTickets(t.db, { page: 3, perPage: 10 });
    assert.deepEqual(third.tickets.map((tk) => tk.number), all.slice(20, 30));
    assert.equal(third.offset, 20);
    const beyond = await listTickets(t.db, { page: 99999, perPage: 10 });
    assert.deepEqual(beyond.tickets, [], "the API: past the end is empty");
    const clamped = await listTickets(t.db, { page: 99999, perPage: 10, clampPage: true });
    // The last page: what is left past the last full page of ten.
    assert.deepEqual(
      clamped.tickets.map((tk) => tk.number),
      all.slice(Math.floor((all.length - 1) / 10) * 10),
    );
    assert.equal(clamped.next, null);

    for (const q of [{ customerId: 2 }, { search: "請求書" }, { search: "Customer 3" }]) {
      const want = await expected(t, q);
      const numbers: number[] = [];
      let page = await listTickets(t.db, { ...q, perPage: 4 });
      numbers.push(...page.tickets.map((tk) => tk.number));
      while (page.next) {
        page = await listTickets(t.db, { ...q, perPage: 4, cursor: page.next });
        numbers.push(...page.tickets.map((tk) => tk.number));
      }
      assert.deepEqual(numbers, want, JSON.stringify(q));
      assert.equal(page.total, want.length);
    }
    await assert.rejects(() => listTickets(t.db, { cursor: "bm9wZQ" }), /cursor/);
    const newest = (await listTickets(t.db, { perPage: 5 })).next!;
    await assert.rejects(() => listTickets(t.db, { sort: "due", cursor: newest }), /cursor/);
  } finally {
    await t.cleanup();
  }
});

Deno.test("ticket list: ?page=N in every folder and order is that slice, no row built before it", async () => {
  const t = await seeded();
  try {
    for (const status of FOLDERS) {
      for (const sort of INBOX_SORTS) {
        const want = await expected(t, { status, sort });
        for (const page of [2, 3, 5]) {
          const got = await listTickets(t.db, { status, sort, page, perPage: 7 });
          const label = `${status ?? "all"}/${sort} page ${page}`;
          assert.deepEqual(
            got.tickets.map((tk) => tk.number),
            want.slice((page - 1) * 7, page * 7),
            label,
          );
          assert.equal(got.offset, (page - 1) * 7, label);
          assert.equal(got.next !== null, want.length > page * 7, `${label}: next`);
        }
      }
    }
    // Only the keys-only walk skips rows; every query that builds rows (customers' columns,
    // the assignee's name) starts at a seek, not an offset.
    const skipping = t.queries.filter((q) =>
      /\boffset \?/.test(q.sql) && Number(q.parameters.at(-1)) > 0
    );
    assert.ok(skipping.length > 0);
    for (const q of skipping) assert.doesNotMatch(q.sql, /customers"\."email/, q.sql);
  } finally {
    await t.cleanup();
  }
});

Deno.test("ticket list: a deep ?page= walks its keys on the walker (the read pool), the rows on db", async () => {
  const t = await seeded();
  try {
    const want = await listTickets(t.store.db, { page: 3, perPage: 7 });
    t.queries.length = 0;
    // t.db logs; as the walker it must get the one skipping walk and nothing else.
    const got = await listTickets(t.store.db, { page: 3, perPage: 7 }, { walker: t.db });
    assert.deepEqual(got, want);
    assert.equal(t.queries.length, 1);
    assert.match(t.queries[0].sql, /\boffset \?/);
    assert.equal(Number(t.queries[0].parameters.at(-1)), 13);
    // The walk stays on the tickets index: no customer lookup per row walked.
    assert.doesNotMatch(t.queries[0].sql, /customers/);
    // A search names customers' columns: its walk joins them, and finds the same rows.
    const search = { page: 2, perPage: 3, search: "example" };
    const wantSearch = await listTickets(t.store.db, search);
    t.queries.length = 0;
    assert.deepEqual(await listTickets(t.store.db, search, { walker: t.db }), wantSearch);
    assert.match(t.queries[0].sql, /customers/);
    // A first page has nothing to walk.
    t.queries.length = 0;
    await listTickets(t.store.db, { perPage: 7 }, { walker: t.db });
    assert.equal(t.queries.length, 0);
  } finally {
    await t.cleanup();
  }
});

Deno.test("ticket list: every folder, order and cursor query walks an index, never sorts", async () => {
  const t = await seeded();
  try {
    for (const status of [undefined, "resolved" as const]) {
      for (const sort of INBOX_SORTS) {
        const first = await listTickets(t.db, { status, sort, perPage: 5 });
        const second = await listTickets(t.db, { status, sort, perPage: 5, cursor: first.next! });
        await listTickets(t.db, { status, sort, perPage: 5, cursor: second.prev || undefined });
        await listTickets(t.db, { status, sort, perPage: 5, page: 4 });
      }
    }
    await listTickets(t.db, { customerId: 1, perPage: 5 });
    await countByStatus(t.db);
    assert.ok(t.queries.length > 40);
    for (const q of t.queries) {
      const plan = await t.client.execute({
        sql: `explain query plan ${q.sql}`,
        args: q.parameters as never,
      });
      const steps = plan.rows.map((r) => String(r.detail));
      const bad = steps.filter((s) => /TEMP B-TREE|^SCAN tickets$|^SCAN customers/.test(s));
      assert.deepEqual(bad, [], `${q.sql}\n${steps.join("\n")}`);
    }
  } finally {
    await t.cleanup();
  }
});

Deno.test("ticket counts: triggers keep them equal to the rows through insert, update, delete", async () => {
  const t = await seeded();
  try {
    const truth = async () => {
      const rows = await t.db.selectFrom("tickets").select(["status"])
        .select((eb) => eb.fn.countAll<number>().as("n")).groupBy("status").execute();
      const out = Object.fromEntries(STATUSES.map((s) => [s, 0]));
      for (const r of rows) out[r.status] = Number(r.n);
      return out;
    };
    assert.deepEqual(await countByStatus(t.db), await truth());
    await t.store.writeTx(async (tx) => {
      await tx.insertInto("departments").values({ name: "請求", slug: "billing", created_at: T0 })
        .execute();
      await tx.updateTable("tickets").set({ status: "resolved" }).where("status", "=", "new")
        .execute();
      await tx.updateTable("tickets").set({ department_id: 2 }).where("id", "<", 20).execute();
      await tx.updateTable("tickets").set({ subject: "x" }).where("id", "<", 40).execute();
      await tx.deleteFrom("tickets").where("id", ">", 150).execute();
    });
    // A failed job rolls back its counter changes with its savepoint.
    await assert.rejects(() =>
      t.store.writeTx(async (tx) => {
        await tx.updateTable("tickets").set({ status: "open" }).execute();
        throw new Error("roll back");
      })
    );
    assert.deepEqual(await countByStatus(t.db), await truth());
    const perDepartment = await t.db.selectFrom("ticket_counts").selectAll()
      .where("department_id", "=", 2).execute();
    assert.equal(perDepartment.reduce((n, r) => n + r.count, 0), 19);
    assert.equal((await listTickets(t.db, {})).total, 150 - (await truth()).spam);
    assert.equal((await listTickets(t.db, { status: "resolved" })).total, (await truth()).resolved);
  } finally {
    await t.cleanup();
  }
});
