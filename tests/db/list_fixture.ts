/**
 * Fixtures for the list tests: tickets inserted in bulk through the schema, and a second,
 * logging Kysely on its own connection whose queries a test can EXPLAIN.
 */
import { createClient } from "@libsql/client";
import { LibsqlDialect } from "@libsql/kysely-libsql";
import { type CompiledQuery, type Insertable, Kysely } from "kysely";
import type { Database, TicketTable } from "../../db/schema.ts";
import { tempStore } from "../helpers.ts";

type TempStore = Awaited<ReturnType<typeof tempStore>>;
type TicketRow = Partial<Insertable<TicketTable>> & { created_at: number };

/** `t` with a logging Kysely over its database file; `cleanup` closes both. */
export function withLoggingDb(t: TempStore) {
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

/**
 * A database with customer 1, agent 1 and `n` tickets #1001… in 対応中 of department 1, each
 * overridden by `row(i)` — inserted 300 at a time — and a logging Kysely beside it.
 */
export async function seededTickets(n: number, row: (i: number) => TicketRow) {
  const t = await tempStore();
  const at = row(0).created_at;
  await t.store.writeTx(async (tx) => {
    await tx.insertInto("customers").values({
      email: "c@example.com",
      name: "C",
      created_at: at,
      updated_at: at,
    }).execute();
    await tx.insertInto("agents").values({
      email: "a@example.test",
      name: "A",
      password_hash: "x",
      role: "agent",
      created_at: at,
    }).execute();
    for (let start = 0; start < n; start += 300) {
      await tx.insertInto("tickets").values(
        Array.from({ length: Math.min(300, n - start) }, (_, j) => {
          const i = start + j;
          const own = row(i);
          return {
            number: 1001 + i,
            subject: `Q ${i}`,
            status: "open",
            customer_id: 1,
            department_id: 1,
            reply_token: `tok${i}`,
            channel: "email",
            updated_at: own.created_at,
            last_message_at: own.created_at,
            ...own,
          };
        }),
      ).execute();
    }
  });
  return withLoggingDb(t);
}
