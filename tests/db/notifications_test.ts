import assert from "node:assert/strict";
import {
  countUnreadNotifications,
  insertNotifications,
  listNotifications,
  markNotificationsRead,
} from "../../db/notifications.ts";
import { seedAgent, seedTicket, withStore } from "./seed.ts";

async function setup(store: Parameters<Parameters<typeof withStore>[0]>[0]) {
  return await store.writeTx(async (tx) => {
    const aki = await seedAgent(tx, "aki@example.test");
    const boss = await seedAgent(tx, "boss@example.test");
    const t = await seedTicket(tx, { subject: "請求書の再発行" });
    await insertNotifications(tx, [aki, boss], {
      ticketId: t.id,
      kind: "sla.warning",
      data: { due: 5_000 },
      now: 1_000,
    });
    await insertNotifications(tx, [aki], {
      ticketId: t.id,
      kind: "sla.breach",
      data: {},
      now: 2_000,
    });
    await insertNotifications(tx, [aki], { ticketId: null, kind: "system", data: {}, now: 3_000 });
    await insertNotifications(tx, [], { ticketId: t.id, kind: "nobody", data: {}, now: 4_000 });
    return { aki, boss, t };
  });
}

Deno.test("notifications: each agent gets their own copy, listed newest first with the ticket", () =>
  withStore(async (store) => {
    const { aki, boss, t } = await setup(store);
    const list = await listNotifications(store.db, aki);
    assert.deepEqual(
      list.map((n) => [n.kind, n.ticketNumber, n.ticketSubject, n.readAt]),
      [
        ["system", null, null, null],
        ["sla.breach", t.number, "請求書の再発行", null],
        ["sla.warning", t.number, "請求書の再発行", null],
      ],
    );
    assert.deepEqual(list[2].data, { due: 5_000 });
    assert.deepEqual((await listNotifications(store.db, boss)).map((n) => n.kind), [
      "sla.warning",
    ]);
    assert.deepEqual((await listNotifications(store.db, aki, 1)).map((n) => n.kind), ["system"]);
    const { n } = await store.db.selectFrom("notifications")
      .select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    assert.equal(Number(n), 4, "no recipients: no rows");
  }));

Deno.test("notifications: marking one read leaves the rest unread, and only for that agent", () =>
  withStore(async (store) => {
    const { aki, boss } = await setup(store);
    const warning = (await listNotifications(store.db, aki)).find((n) => n.kind === "sla.warning")!;
    assert.equal(await countUnreadNotifications(store.db, aki), 3);
    await store.writeTx((tx) => markNotificationsRead(tx, aki, 5_000, warning.id));
    assert.equal(await countUnreadNotifications(store.db, aki), 2);
    assert.equal(await countUnreadNotifications(store.db, boss), 1);
    // Another agent's id marks nothing of theirs.
    await store.writeTx((tx) => markNotificationsRead(tx, boss, 5_000, warning.id));
    assert.equal(await countUnreadNotifications(store.db, aki), 2);
    const read = (await listNotifications(store.db, aki)).find((n) => n.id === warning.id);
    assert.equal(read?.readAt, 5_000);
  }));

Deno.test("notifications: marking all read keeps the time each was first read", () =>
  withStore(async (store) => {
    const { aki, boss } = await setup(store);
    const first = (await listNotifications(store.db, aki))[0];
    await store.writeTx((tx) => markNotificationsRead(tx, aki, 5_000, first.id));
    await store.writeTx((tx) => markNotificationsRead(tx, aki, 6_000));
    assert.equal(await countUnreadNotifications(store.db, aki), 0);
    assert.deepEqual((await listNotifications(store.db, aki)).map((n) => n.readAt), [
      5_000,
      6_000,
      6_000,
    ]);
    assert.equal(await countUnreadNotifications(store.db, boss), 1);
  }));
