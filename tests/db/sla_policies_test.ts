import assert from "node:assert/strict";
import {
  deleteSlaPolicy,
  findSlaPolicy,
  listSlaPolicies,
  loadSlaPolicies,
  saveSlaPolicy,
} from "../../db/sla_policies.ts";
import type { SlaPolicyInput } from "../../domain/sla_policy.ts";
import { withStore } from "./seed.ts";

function policy(over: Partial<SlaPolicyInput> = {}): SlaPolicyInput {
  return {
    firstResponseMinutes: 60,
    nextResponseMinutes: 30,
    resolutionMinutes: null,
    warning: { kind: "percent", value: 80 },
    businessHoursOnly: true,
    actions: {
      warning: [{ kind: "notify", to: "assignee", mail: false }],
      breach: [{ kind: "notify", to: "supervisors", mail: true }, { kind: "raise_priority" }],
    },
    ...over,
  };
}

Deno.test("sla policies: a saved policy comes back as saved, under its department and priority", () =>
  withStore(async (store) => {
    await store.writeTx((tx) => saveSlaPolicy(tx, 1, "high", policy(), 1_000));
    const found = await findSlaPolicy(store.db, 1, "high");
    assert.ok(found);
    const { id: _, ...rest } = found;
    assert.deepEqual(rest, { departmentId: 1, priority: "high", ...policy() });
    assert.equal(await findSlaPolicy(store.db, 1, "low"), null);
    assert.equal(await findSlaPolicy(store.db, 2, "high"), null);
  }));

Deno.test("sla policies: saving again replaces the department's policy for that priority", () =>
  withStore(async (store) => {
    await store.writeTx((tx) => saveSlaPolicy(tx, 1, "normal", policy(), 1_000));
    const before = await findSlaPolicy(store.db, 1, "normal");
    const changed = policy({
      firstResponseMinutes: null,
      warning: { kind: "minutes", value: 15 },
      businessHoursOnly: false,
      actions: { warning: [], breach: [] },
    });
    await store.writeTx((tx) => saveSlaPolicy(tx, 1, "normal", changed, 2_000));
    const after = await findSlaPolicy(store.db, 1, "normal");
    assert.equal(after?.id, before?.id, "one row per department and priority");
    assert.deepEqual(after, { id: before!.id, departmentId: 1, priority: "normal", ...changed });
    assert.equal((await listSlaPolicies(store.db)).length, 1);
  }));

Deno.test("sla policies: listing orders by department then priority; loading filters by department", () =>
  withStore(async (store) => {
    await store.writeTx(async (tx) => {
      await tx.insertInto("departments")
        .values({ name: "経理", slug: "billing", created_at: 0, schedule_id: null }).execute();
      await saveSlaPolicy(tx, 2, "urgent", policy(), 0);
      await saveSlaPolicy(tx, 1, "normal", policy(), 0);
      await saveSlaPolicy(tx, 1, "high", policy(), 0);
    });
    assert.deepEqual(
      (await listSlaPolicies(store.db)).map((p) => `${p.departmentId}:${p.priority}`),
      ["1:high", "1:normal", "2:urgent"],
    );
    assert.deepEqual((await loadSlaPolicies(store.db, [2])).map((p) => p.priority), ["urgent"]);
    assert.deepEqual(await loadSlaPolicies(store.db, []), []);
    assert.equal((await loadSlaPolicies(store.db)).length, 3);
  }));

Deno.test("sla policies: a deleted policy is gone only for that priority", () =>
  withStore(async (store) => {
    await store.writeTx(async (tx) => {
      await saveSlaPolicy(tx, 1, "normal", policy(), 0);
      await saveSlaPolicy(tx, 1, "high", policy(), 0);
    });
    await store.writeTx((tx) => deleteSlaPolicy(tx, 1, "normal"));
    assert.equal(await findSlaPolicy(store.db, 1, "normal"), null);
    assert.ok(await findSlaPolicy(store.db, 1, "high"));
  }));

Deno.test("sla policies: malformed stored actions are dropped, not thrown", () =>
  withStore(async (store) => {
    await store.writeTx(async (tx) => {
      await saveSlaPolicy(tx, 1, "normal", policy(), 0);
      await tx.updateTable("sla_policies").set({ actions_json: "not json" }).execute();
    });
    assert.deepEqual((await findSlaPolicy(store.db, 1, "normal"))?.actions, {
      warning: [],
      breach: [],
    });
  }));
