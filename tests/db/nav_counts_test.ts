import assert from "node:assert/strict";
import { sql } from "kysely";
import { tempStore } from "../helpers.ts";
import { changeStatus, createTicketForCustomer } from "../runtime.ts";
import { countByDepartment, countByTag } from "../../db/nav_counts.ts";
import { deleteTag, upsertTag } from "../../db/tags.ts";
import { createDepartment } from "../../db/departments.ts";
import type { Db } from "../../db/client.ts";
import * as m0027 from "../../db/migrations/0027_tag_counts.ts";

/** The same numbers counted the slow way, for comparison with the counters. */
async function joined(db: Db, status: string, departmentIds?: number[]) {
  const dept = departmentIds ? sql`and t.department_id in (${sql.join(departmentIds)})` : sql``;
  const { rows } = await sql<{ tag_id: number; n: number }>`select tt.tag_id, count(*) as n
    from ticket_tags tt join tickets t on t.id = tt.ticket_id
    where t.status = ${status} ${dept} group by tt.tag_id`.execute(db);
  return new Map(rows.map((r) => [Number(r.tag_id), Number(r.n)]));
}

/** Drops zero entries: a counter row may stay at 0 where the join has no row. */
function nonZero(m: Map<number, number>) {
  return new Map([...m].filter(([, n]) => n !== 0));
}

Deno.test("tag counts: kept through tagging, untagging, status and department changes", async () => {
  const { store, cleanup } = await tempStore();
  try {
    const sales = await store.writeTx((tx) =>
      createDepartment(tx, { name: "営業部", slug: "sales" }, 0)
    );
    const open = (subject: string) =>
      createTicketForCustomer(store, {
        customer: { email: "taro@example.com", name: "太郎" },
        subject,
        text: "本文",
        channel: "web",
      });
    const tickets = [await open("一"), await open("二"), await open("三")];
    const [billing, vip] = await store.writeTx(async (tx) => [
      await upsertTag(tx, { name: "請求", color: "#bf3989" }, 0),
      await upsertTag(tx, { name: "VIP", color: "#0969da" }, 0),
    ]);
    const check = async (label: string) => {
      for (const status of ["new", "open", "resolved"] as const) {
        assert.deepEqual(
          nonZero(await countByTag(store.db, status)),
          await joined(store.db, status),
          `${label}: ${status}`,
        );
        assert.deepEqual(
          nonZero(await countByTag(store.db, status, [sales.id])),
          await joined(store.db, status, [sales.id]),
          `${label}: ${status} in 営業部`,
        );
      }
    };
    await store.writeTx((tx) =>
      tx.insertInto("ticket_tags").values([
        { ticket_id: tickets[0].id, tag_id: billing.id },
        { ticket_id: tickets[1].id, tag_id: billing.id },
        { ticket_id: tickets[1].id, tag_id: vip.id },
      ]).execute()
    );
    assert.equal((await countByTag(store.db, "new")).get(billing.id), 2);
    await check("tagged");
    await changeStatus(store, tickets[1].id, "resolved", null);
    assert.equal((await countByTag(store.db, "new")).get(billing.id), 1);
    assert.equal((await countByTag(store.db, "resolved")).get(vip.id), 1);
    await check("resolved one");
    await store.writeTx((tx) =>
      tx.updateTable("tickets").set({ department_id: sales.id }).where("id", "=", tickets[0].id)
        .execute()
    );
    assert.equal((await countByTag(store.db, "new", [sales.id])).get(billing.id), 1);
    await check("moved to 営業部");
    await store.writeTx((tx) =>
      tx.deleteFrom("ticket_tags").where("ticket_id", "=", tickets[1].id)
        .where("tag_id", "=", billing.id).execute()
    );
    assert.equal((await countByTag(store.db, "resolved")).get(billing.id), 0);
    await check("untagged");
    await store.writeTx((tx) => deleteTag(tx, vip.id));
    assert.equal((await countByTag(store.db, "resolved")).has(vip.id), false);
    await check("tag deleted");
    // Every folder but spam, for すべて.
    assert.equal((await countByTag(store.db, undefined)).get(billing.id), 1);
    assert.equal((await countByDepartment(store.db, undefined)).get(sales.id), 1);
    // A database tagged before 0027: the migration's backfill agrees with the triggers.
    await m0027.down(store.db as never);
    await m0027.up(store.db as never);
    await check("backfilled");
    assert.equal((await countByTag(store.db, undefined)).get(billing.id), 1);
  } finally {
    await cleanup();
  }
});
