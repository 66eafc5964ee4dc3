import assert from "node:assert/strict";
import { findCustomer, findCustomerRecord, upsertCustomer } from "../../db/customers.ts";
import { withStore } from "./seed.ts";

Deno.test("customers: a new address is stored lower-cased, named after its local part when nameless", () =>
  withStore(async (store) => {
    const named = await store.writeTx((tx) =>
      upsertCustomer(tx, "Taro+Shop@Example.COM", "山田太郎", 1_000)
    );
    const nameless = await store.writeTx((tx) =>
      upsertCustomer(tx, "hanako@example.com", "", 1_000)
    );
    assert.deepEqual(named, { id: named.id, email: "taro+shop@example.com", name: "山田太郎" });
    assert.equal(nameless.name, "hanako");
    assert.deepEqual(await findCustomer(store.db, named.id), named);
  }));

Deno.test("customers: the same address in another case is the same customer", () =>
  withStore(async (store) => {
    const a = await store.writeTx((tx) => upsertCustomer(tx, "taro@example.com", "Taro", 1_000));
    const b = await store.writeTx((tx) => upsertCustomer(tx, "TARO@example.com", "Taro", 2_000));
    assert.equal(b.id, a.id);
    const { n } = await store.db.selectFrom("customers")
      .select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    assert.equal(Number(n), 1);
  }));

Deno.test("customers: a new display name renames the customer and updates the record's date", () =>
  withStore(async (store) => {
    const a = await store.writeTx((tx) => upsertCustomer(tx, "taro@example.com", "Taro", 1_000));
    const b = await store.writeTx((tx) =>
      upsertCustomer(tx, "taro@example.com", "山田太郎", 2_000)
    );
    assert.equal(b.name, "山田太郎");
    assert.deepEqual(await findCustomerRecord(store.db, a.id), {
      id: a.id,
      email: "taro@example.com",
      name: "山田太郎",
      createdAt: 1_000,
      updatedAt: 2_000,
    });
  }));

Deno.test("customers: an empty or unchanged name leaves the record untouched", () =>
  withStore(async (store) => {
    const a = await store.writeTx((tx) => upsertCustomer(tx, "taro@example.com", "Taro", 1_000));
    assert.equal(
      (await store.writeTx((tx) => upsertCustomer(tx, a.email, "", 2_000))).name,
      "Taro",
    );
    await store.writeTx((tx) => upsertCustomer(tx, a.email, "Taro", 3_000));
    const rec = await findCustomerRecord(store.db, a.id);
    assert.deepEqual([rec?.name, rec?.updatedAt], ["Taro", 1_000]);
  }));

Deno.test("customers: keepExistingName never renames an existing customer, yet names a new one", () =>
  withStore(async (store) => {
    await store.writeTx((tx) => upsertCustomer(tx, "taro@example.com", "山田太郎", 1_000));
    const kept = await store.writeTx((tx) =>
      upsertCustomer(tx, "taro@example.com", "なりすまし", 2_000, { keepExistingName: true })
    );
    assert.equal(kept.name, "山田太郎");
    assert.equal((await findCustomer(store.db, kept.id))?.name, "山田太郎");
    const fresh = await store.writeTx((tx) =>
      upsertCustomer(tx, "jiro@example.com", "次郎", 2_000, { keepExistingName: true })
    );
    assert.equal((await findCustomer(store.db, fresh.id))?.name, "次郎");
  }));

Deno.test("customers: an unknown id finds nothing", () =>
  withStore(async (store) => {
    assert.equal(await findCustomer(store.db, 42), undefined);
    assert.equal(await findCustomerRecord(store.db, 42), undefined);
  }));
