import assert from "node:assert/strict";
import { countByStatus } from "../../db/ticket_list.ts";
import {
  countTicketMessage,
  defaultDepartmentId,
  findTicket,
  findTicketByNumber,
  touchTicket,
  updateTicketStatus,
} from "../../db/tickets.ts";
import { seedTicket, withStore } from "./seed.ts";

Deno.test("tickets: numbers start at 1001 and count up one by one", () =>
  withStore(async (store) => {
    const numbers: number[] = [];
    for (const subject of ["a", "b", "c"]) {
      numbers.push((await store.writeTx((tx) => seedTicket(tx, { subject }))).number);
    }
    assert.deepEqual(numbers, [1001, 1002, 1003]);
    assert.equal((await findTicketByNumber(store.db, 1002))?.subject, "b");
    assert.equal(await findTicketByNumber(store.db, 1004), undefined);
  }));

Deno.test("tickets: tickets created in one group-commit batch still get distinct numbers", () =>
  withStore(async (store) => {
    const release = store.announceWrite();
    const pending = Array.from(
      { length: 5 },
      (_, i) => store.writeTx((tx) => seedTicket(tx, { subject: `t${i}` })),
    );
    release();
    const numbers = (await Promise.all(pending)).map((t) => t.number).sort((a, b) => a - b);
    assert.deepEqual(numbers, [1001, 1002, 1003, 1004, 1005]);
  }));

Deno.test("tickets: a number freed by a rolled-back insert is reused, never skipped", () =>
  withStore(async (store) => {
    await store.writeTx((tx) => seedTicket(tx));
    await assert.rejects(store.writeTx(async (tx) => {
      await seedTicket(tx);
      throw new Error("rolled back");
    }));
    assert.equal((await store.writeTx((tx) => seedTicket(tx))).number, 1002);
  }));

Deno.test("tickets: without a department a ticket goes to the default one; a given one is kept", () =>
  withStore(async (store) => {
    const other = await store.writeTx(async (tx) => {
      const { id } = await tx.insertInto("departments")
        .values({ name: "経理", slug: "billing", created_at: 0, schedule_id: null })
        .returning("id").executeTakeFirstOrThrow();
      return id;
    });
    const plain = await store.writeTx((tx) => seedTicket(tx));
    const routed = await store.writeTx((tx) => seedTicket(tx, { departmentId: other }));
    const fallback = await defaultDepartmentId(store.db);
    assert.notEqual(fallback, other);
    assert.equal(plain.departmentId, fallback);
    assert.equal((await findTicket(store.db, plain.id))?.departmentId, fallback);
    assert.equal(routed.departmentId, other);
    assert.equal((await findTicket(store.db, routed.id))?.departmentId, other);
  }));

Deno.test("tickets: a found ticket carries its customer, reply token and starting counters", () =>
  withStore(async (store) => {
    const t = await store.writeTx((tx) =>
      seedTicket(tx, { email: "Hanako@Example.com", replyToken: "tok1", now: 5_000 })
    );
    const found = await findTicket(store.db, t.id);
    assert.ok(found);
    assert.equal(found.number, 1001);
    assert.equal(found.customerEmail, "hanako@example.com");
    assert.equal(found.customerName, "hanako");
    assert.equal(found.replyToken, "tok1");
    assert.equal(found.status, "new");
    assert.equal(found.priority, "normal");
    assert.equal(found.messageCount, 0);
    assert.equal(found.createdAt, 5_000);
    assert.equal(found.lastMessageAt, 5_000);
    assert.equal(await findTicket(store.db, t.id + 1), undefined);
  }));

Deno.test("tickets: a new message moves the status and activity time and counts; an outbound one only counts", () =>
  withStore(async (store) => {
    const t = await store.writeTx((tx) => seedTicket(tx, { now: 1_000 }));
    await store.writeTx((tx) => touchTicket(tx, t.id, "open", 2_000));
    let found = await findTicket(store.db, t.id);
    assert.deepEqual([found?.status, found?.lastMessageAt, found?.messageCount], [
      "open",
      2_000,
      1,
    ]);
    await store.writeTx((tx) => countTicketMessage(tx, t.id, 3_000));
    found = await findTicket(store.db, t.id);
    assert.deepEqual([found?.status, found?.lastMessageAt, found?.messageCount], [
      "open",
      3_000,
      2,
    ]);
  }));

Deno.test("tickets: a status change returns the previous status; a missing ticket returns undefined", () =>
  withStore(async (store) => {
    const t = await store.writeTx((tx) => seedTicket(tx, { now: 1_000 }));
    assert.equal(
      await store.writeTx((tx) => updateTicketStatus(tx, t.id, "pending", 2_000)),
      "new",
    );
    assert.equal(
      await store.writeTx((tx) => updateTicketStatus(tx, t.id, "resolved", 3_000)),
      "pending",
    );
    assert.equal((await findTicket(store.db, t.id))?.status, "resolved");
    assert.equal(
      await store.writeTx((tx) => updateTicketStatus(tx, 999, "open", 4_000)),
      undefined,
    );
    const row = await store.db.selectFrom("tickets").select(["updated_at", "last_message_at"])
      .where("id", "=", t.id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { updated_at: 3_000, last_message_at: 1_000 }, "not activity");
  }));

Deno.test("tickets: counts by status list every folder, empty ones as zero", () =>
  withStore(async (store) => {
    assert.deepEqual(await countByStatus(store.db), {
      new: 0,
      open: 0,
      pending: 0,
      resolved: 0,
      spam: 0,
      no_action: 0,
    });
    await store.writeTx(async (tx) => {
      await seedTicket(tx, { status: "new" });
      await seedTicket(tx, { status: "new" });
      await seedTicket(tx, { status: "pending" });
    });
    assert.deepEqual(await countByStatus(store.db), {
      new: 2,
      open: 0,
      pending: 1,
      resolved: 0,
      no_action: 0,
      spam: 0,
    });
  }));
