/**
 * The report links' inbox filters (replies sent, reopened, heat map cells, SLA figures) are
 * served through an index — the created range, the replies' index or a list of ids — never by
 * walking every ticket.
 */
import assert from "node:assert/strict";
import { countMatching, INBOX_SORTS, type InboxQuery, listTickets } from "../../db/ticket_list.ts";
import { seededTickets } from "./list_fixture.ts";

const T0 = Date.UTC(2026, 6, 7);
const HOUR = 3_600_000;
const N = 1_200;

function seeded() {
  // One ticket an hour, newest last.
  return seededTickets(N, (i) => ({ created_at: T0 + i * HOUR, priority: "normal" }));
}

Deno.test("report link filters: each list and count is served by an index, never a scan of tickets", async () => {
  const t = await seeded();
  try {
    const day = { createdFrom: T0 + 240 * HOUR, createdTo: T0 + 264 * HOUR };
    const filters: InboxQuery[] = [
      { ...day, reopened: true },
      {
        ...day,
        createdIn: [[T0 + 250 * HOUR, T0 + 251 * HOUR], [T0 + 260 * HOUR, T0 + 261 * HOUR]],
      },
      { ...day, ticketIds: [5, 250, 251] },
      { repliedIn: { fromMs: day.createdFrom, toMs: day.createdTo } },
      { repliedIn: { fromMs: day.createdFrom, toMs: day.createdTo, agentId: 1 } },
    ];
    for (const f of filters) {
      for (const sort of INBOX_SORTS) {
        await listTickets(t.db, { ...f, sort, perPage: 5 });
      }
      await countMatching(t.db, f);
    }
    for (const q of t.queries) {
      const plan = await t.client.execute({
        sql: `explain query plan ${q.sql}`,
        args: q.parameters as never,
      });
      const steps = plan.rows.map((r) => String(r.detail));
      assert.ok(!steps.some((s) => /^SCAN tickets\b/.test(s)), `${q.sql}\n${steps.join("\n")}`);
    }
  } finally {
    await t.cleanup();
  }
});
