/**
 * The report links' inbox filters (replies sent, reopened, heat map cells, SLA figures) are
 * served through an index — the created range, the replies' index or a list of ids — never by
 * walking every ticket.
 */
import assert from "node:assert/strict";
import { createClient } from "@libsql/client";
import { LibsqlDialect } from "@libsql/kysely-libsql";
import { type CompiledQuery, Kysely } from "kysely";
import type { Database } from "../../db/schema.ts";
import { countMatching, INBOX_SORTS, type InboxQuery, listTickets } from "../../db/ticket_list.ts";
import { tempStore } from "../helpers.ts";

const T0 = Date.UTC(2026, 6, 7);
const HOUR = 3_600_000;
const N = 1_200;

async function seeded() {
  const t = await tempStore();
  await t.store.writeTx(async (tx) => {
    await tx.insertInto("customers").values({
      email: "c@example.com",
      name: "C",
      created_at: T0,
      updated_at: T0,
    }).execute();
    await tx.insertInto("agents").values({
      email: "a@example.test",
      name: "A",
      password_hash: "x",
      role: "agent",
      created_at: T0,
    }).execute();
    for (let start = 0; start < N; start += 300) {
      await tx.insertInto("tickets").values(
        Array.from({ length: 300 }, (_, j) => {
          const i = start + j;
          return {
            number: 1001 + i,
            subject: `Q ${i}`,
            status: "open",
            customer_id: 1,
            department_id: 1,
            reply_token: `tok${i}`,
            channel: "email",
            // One ticket an hour, newest last.
            created_at: T0 + i * HOUR,
            updated_at: T0 + i * HOUR,
            last_message_at: T0 + i * HOUR,
            priority: "normal",
          };
        }),
      ).execute();
    }
  });
  const client = createClient({ url: `file:${t.dir}/test.db` });
  const queries: CompiledQuery[] = [];
  const db = new Kysely<Database>({
    // deno-lint-ignore no-explicit-any
    dialect: new LibsqlDialect({ client: client as any }),
    log: (e) => {
      if (e.level === "query") queries.push(e.query);
    },
  });
  return {
    ...t,
    db,
    client,
    queries,
    async cleanup() {
      await db.destroy();
      client.close();
      await t.cleanup();
    },
  };
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
