import assert from "node:assert/strict";
import { setupCustomerApp } from "./customer_helpers.ts";
import { findTicketByNumber } from "../../db/tickets.ts";
import { listReportCategories } from "../../db/report_queries.ts";

Deno.test("inquiry: the chosen category is recorded for reports (its Japanese label), none when not chosen", async () => {
  const t = await setupCustomerApp();
  try {
    assert.equal((await t.inquire({ category: "1", phone: "" })).status, 303);
    assert.equal((await t.inquire({ category: "", phone: "" })).status, 303);
    const facts = async (n: number) => {
      const ticket = (await findTicketByNumber(t.store.db, n))!;
      return (await t.store.db.selectFrom("ticket_report_facts").select("category")
        .where("ticket_id", "=", ticket.id).executeTakeFirstOrThrow()).category;
    };
    assert.equal(await facts(1001), "ご請求・お支払いについて");
    assert.equal(await facts(1002), null);
    assert.deepEqual(await listReportCategories(t.store.db), ["ご請求・お支払いについて"]);
  } finally {
    await t.cleanup();
  }
});
