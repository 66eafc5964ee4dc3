import assert from "node:assert/strict";
import { tempStore } from "../helpers.ts";
import { agent, run, testRuntime } from "../runtime.ts";
import { createTicketForCustomer } from "../../services/customer_tickets.ts";
import { replyToCustomer } from "../../services/replies.ts";
import { changeStatus } from "../../services/tickets.ts";
import * as m0017 from "../../db/migrations/0017_report_facts.ts";
import type { Store } from "../../db/client.ts";

const T0 = Date.parse("2026-05-01T00:00:00Z");
const MIN = 60_000;

async function facts(store: Store) {
  return await store.db.selectFrom("ticket_report_facts").selectAll().orderBy("ticket_id")
    .execute();
}

Deno.test("report facts: triggers record first reply, resolution, reopening; the migration's backfill agrees", async () => {
  const t = await tempStore();
  try {
    await t.store.writeTx(async (tx) => {
      await tx.insertInto("agents").values({
        email: "a@example.test",
        name: "a",
        password_hash: "x",
        role: "agent",
        time_zone: null,
        created_at: 0,
      }).execute();
    });
    const rt = testRuntime(t.store);
    const as = { actor: agent({ id: 1, role: "agent" }) };
    const open = (i: number) =>
      run(rt, (ctx) =>
        createTicketForCustomer(ctx, {
          customer: { email: `c${i}@example.jp`, name: "客" },
          subject: "件名",
          text: "本文",
          channel: "mail",
        }), { now: T0 + i * MIN });
    const a = await open(0);
    const b = await open(1);
    await run(rt, (ctx) => replyToCustomer(ctx, { ticketId: a.id, text: "1", status: "pending" }), {
      ...as,
      now: T0 + 10 * MIN,
    });
    await run(
      rt,
      (ctx) => replyToCustomer(ctx, { ticketId: a.id, text: "2", status: "resolved" }),
      {
        ...as,
        now: T0 + 20 * MIN,
      },
    );
    await run(rt, (ctx) => changeStatus(ctx, { ticketId: a.id, status: "new" }), {
      ...as,
      now: T0 + 30 * MIN,
    });
    await run(rt, (ctx) => changeStatus(ctx, { ticketId: a.id, status: "resolved" }), {
      ...as,
      now: T0 + 40 * MIN,
    });
    const before = await facts(t.store);
    assert.deepEqual(before, [
      {
        ticket_id: a.id,
        created_at: T0,
        first_response_at: T0 + 10 * MIN,
        resolved_at: T0 + 40 * MIN,
        reopen_count: 1,
        last_agent_id: 1,
        replies: 2,
        category: null,
      },
      {
        ticket_id: b.id,
        created_at: T0 + MIN,
        first_response_at: null,
        resolved_at: null,
        reopen_count: 0,
        last_agent_id: null,
        replies: 0,
        category: null,
      },
    ]);
    // A database that had tickets before 0017: drop it and migrate again (0022's category column
    // is not part of 0017's table).
    await m0017.down(t.store.db as never);
    await m0017.up(t.store.db as never);
    assert.deepEqual(await facts(t.store), before.map(({ category: _, ...row }) => row));
  } finally {
    await t.cleanup();
  }
});
