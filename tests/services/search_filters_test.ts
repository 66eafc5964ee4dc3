/** Search by assignee and tag, and a restricted agent never finds another department's mail. */
import assert from "node:assert/strict";
import { searchTickets } from "../../services/search.ts";
import { searchInput, SearchQuery } from "../../routes/search_query.ts";
import { parseInput } from "../../domain/validation.ts";
import { ingestMessage } from "../runtime.ts";
import { rawMail, tempStore } from "../helpers.ts";

Deno.test("search: assignee (me / none / id) and tag filters, and department restriction", async () => {
  const { store, cleanup } = await tempStore();
  try {
    for (const n of [1, 2, 3]) {
      await ingestMessage(
        store,
        new TextEncoder().encode(
          rawMail({ From: `c${n}@example.com`, Subject: `配達の件 ${n}` }, "配達が遅れています"),
        ),
        { mailFrom: `c${n}@example.com`, rcptTo: ["support@example.test"], remoteAddress: null },
      );
    }
    await store.writeTx(async (tx) => {
      const { id: agentId } = await tx.insertInto("agents").values({
        email: "aki@example.test",
        name: "aki",
        password_hash: "x",
        role: "agent",
        created_at: 0,
      }).returning("id").executeTakeFirstOrThrow();
      await tx.updateTable("tickets").set({ assignee_id: agentId }).where("number", "=", 1001)
        .execute();
      const { id: other } = await tx.insertInto("departments").values({
        name: "営業",
        slug: "sales",
        created_at: 0,
      }).returning("id").executeTakeFirstOrThrow();
      await tx.updateTable("tickets").set({ department_id: other }).where("number", "=", 1003)
        .execute();
      const { id: tagId } = await tx.insertInto("tags").values({
        name: "至急",
        color: "#d1242f",
        created_at: 0,
      } as never).returning("id").executeTakeFirstOrThrow();
      const t2 = await tx.selectFrom("tickets").select("id").where("number", "=", 1002)
        .executeTakeFirstOrThrow();
      await tx.insertInto("ticket_tags").values({ ticket_id: t2.id, tag_id: tagId } as never)
        .execute();
    });
    const aki: { id: number; departmentIds: number[] | null } = { id: 1, departmentIds: null };
    const numbers = async (params: Record<string, string>, agent = aki) => {
      const parsed = parseInput(SearchQuery, { q: "配達", ...params });
      const page = await searchTickets(store.db, searchInput(parsed, "Asia/Tokyo", agent));
      return page.results.map((r) => r.ticket.number).sort();
    };
    assert.deepEqual(await numbers({}), [1001, 1002, 1003]);
    assert.deepEqual(await numbers({ assignee: "me" }), [1001]);
    assert.deepEqual(await numbers({ assignee: "none" }), [1002, 1003]);
    assert.deepEqual(await numbers({ tag: "至急" }), [1002]);
    // Restricted to the default department (id 1): the sales ticket is never found.
    assert.deepEqual(await numbers({}, { id: 1, departmentIds: [1] }), [1001, 1002]);
  } finally {
    await cleanup();
  }
});
