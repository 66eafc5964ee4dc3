/** The team's views in the list: SLA 警告 / 超過 with the folders, and bounded counts. */
import assert from "node:assert/strict";
import {
  COUNT_CAP,
  countMatching,
  INBOX_SORTS,
  type InboxQuery,
  listTickets,
  SLA_VIEWS,
  type TicketPage,
} from "../../db/ticket_list.ts";
import { STATUSES } from "../../domain/ticket_status.ts";
import { seededTickets } from "./list_fixture.ts";

const T0 = Date.UTC(2026, 6, 7);
const NOW = T0 + 30 * 60_000;
const N = 1_500;

/**
 * N tickets: statuses in rotation, all assigned to agent 1 (more than COUNT_CAP), every 7th
 * urgent; every 4th has a running clock whose warning and due instants fall on either side of
 * NOW (ok, warning or breached), with ties.
 */
function seeded() {
  return seededTickets(N, (i) => {
    const clock = i % 4 === 0;
    const due = T0 + ((i * 7) % 60) * 60_000;
    return {
      status: STATUSES[i % STATUSES.length],
      created_at: T0,
      last_message_at: T0 + ((i * 13) % 50) * 1000,
      assignee_id: 1,
      priority: i % 7 === 0 ? "urgent" : "normal",
      sla_due_at: clock ? due : null,
      sla_warn_at: clock ? due - 20 * 60_000 : null,
    };
  });
}

type Setup = Awaited<ReturnType<typeof seeded>>;

async function expected(t: Setup, q: InboxQuery): Promise<number[]> {
  const rows = await t.db.selectFrom("tickets")
    .select(["id", "number", "status", "last_message_at", "sla_due_at", "sla_warn_at"])
    .execute();
  const due = (r: typeof rows[number]) => r.sla_due_at ?? Number.MAX_SAFE_INTEGER;
  return rows
    .filter((r) => q.status ? r.status === q.status : r.status !== "spam")
    .filter((r) =>
      q.sla === "breached"
        ? r.sla_due_at !== null && r.sla_due_at <= NOW
        : r.sla_warn_at !== null && r.sla_warn_at <= NOW && r.sla_due_at! > NOW
    )
    .sort((a, b) => {
      if (q.sort === "oldest") return a.last_message_at - b.last_message_at || a.id - b.id;
      if (q.sort === "due" && due(a) !== due(b)) return due(a) - due(b);
      return b.last_message_at - a.last_message_at || b.id - a.id;
    })
    .map((r) => r.number);
}

Deno.test("sla views: warning and breached, in every folder and order, page by cursor exactly once", async () => {
  const t = await seeded();
  try {
    let seen = 0;
    for (const sla of SLA_VIEWS) {
      for (const status of [undefined, "new" as const, "resolved" as const]) {
        for (const sort of INBOX_SORTS) {
          const q: InboxQuery = { status, sort, sla, now: NOW, perPage: 9 };
          const want = await expected(t, q);
          const pages: TicketPage[] = [await listTickets(t.db, q)];
          while (pages.at(-1)!.next) {
            pages.push(await listTickets(t.db, { ...q, cursor: pages.at(-1)!.next! }));
          }
          const label = `${sla}/${status ?? "all"}/${sort}`;
          assert.deepEqual(pages.flatMap((p) => p.tickets.map((x) => x.number)), want, label);
          assert.equal(pages[0].total, want.length, label);
          seen += want.length;
        }
      }
    }
    assert.ok(seen > 100, "the views are not empty");
  } finally {
    await t.cleanup();
  }
});

Deno.test("sla views and filtered counts read through an index; a count past the cap says so", async () => {
  const t = await seeded();
  try {
    // 1 500 tickets are agent 1's: the count stops at the cap.
    assert.deepEqual(await countMatching(t.db, { assignee: 1 }), { n: COUNT_CAP, capped: true });
    const urgent = await countMatching(t.db, { priority: "urgent" });
    assert.equal(urgent.capped, false);
    const wantUrgent = await t.db.selectFrom("tickets").select((eb) => eb.fn.countAll().as("n"))
      .where("priority", "=", "urgent").where("status", "!=", "spam").executeTakeFirstOrThrow();
    assert.equal(urgent.n, Number(wantUrgent.n));
    const page = await listTickets(t.db, { assignee: 1, perPage: 10 });
    assert.equal(page.totalCapped, true);
    assert.notEqual(page.next, null);

    t.queries.length = 0;
    for (const sla of SLA_VIEWS) {
      for (const sort of INBOX_SORTS) {
        const first = await listTickets(t.db, { status: "new", sort, sla, now: NOW, perPage: 3 });
        await listTickets(t.db, {
          status: "new",
          sort,
          sla,
          now: NOW,
          perPage: 3,
          cursor: first.next!,
        });
        await listTickets(t.db, {
          sort,
          sla,
          now: NOW,
          perPage: 3,
          assignee: 1,
          priority: "urgent",
        });
      }
    }
    const slaQueries = [...t.queries];
    t.queries.length = 0;
    await countMatching(t.db, { status: "new", priority: "urgent" });
    await listTickets(t.db, { priority: "urgent", perPage: 5 });
    const filtered = [...t.queries];
    assert.ok(slaQueries.length > 20);
    for (
      const [q, sla] of [
        ...slaQueries.map((q) => [q, true] as const),
        ...filtered.map((q) => [q, false] as const),
      ]
    ) {
      const plan = await t.client.execute({
        sql: `explain query plan ${q.sql}`,
        args: q.parameters as never,
      });
      const steps = plan.rows.map((r) => String(r.detail));
      const text = `${q.sql}\n${steps.join("\n")}`;
      assert.ok(!steps.some((s) => /^SCAN tickets\b/.test(s)), text);
      if (sla) assert.ok(steps.some((s) => /tickets_sla_(due|warn)/.test(s)), text);
    }
    // The inbox counts its SLA views and the unassigned on every page view: from an index
    // alone (no ticket row, no customer), so a count reads index entries only.
    t.queries.length = 0;
    for (const sla of SLA_VIEWS) await countMatching(t.db, { sla, now: NOW });
    await countMatching(t.db, { assignee: "none" });
    await countMatching(t.db, { assignee: 1 });
    assert.equal(t.queries.length, 4);
    for (const q of t.queries) {
      const plan = await t.client.execute({
        sql: `explain query plan ${q.sql}`,
        args: q.parameters as never,
      });
      const steps = plan.rows.map((r) => String(r.detail));
      const text = `${q.sql}\n${steps.join("\n")}`;
      assert.ok(steps.some((s) => /USING COVERING INDEX/.test(s)), text);
      assert.ok(!/customers/.test(q.sql), text);
    }
  } finally {
    await t.cleanup();
  }
});
