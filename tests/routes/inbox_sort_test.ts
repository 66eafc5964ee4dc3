/** The inbox and the API sorted by the nearest SLA deadline, through app.request(). */
import assert from "node:assert/strict";
import { createApp } from "../../routes/mod.tsx";
import { createAgent, createApiToken } from "../runtime.ts";
import { createTicketForCustomer } from "../runtime.ts";
import { tempStore, testConfig } from "../helpers.ts";

const ORIGIN = "http://localhost";
const T0 = Date.UTC(2026, 6, 7, 1, 0, 0);
const MINUTE = 60_000;

/**
 * Five tickets in 未対応 and one pending, each with its last activity and stored deadline:
 * #1001 due +2h (active T0), #1002 due +1h (T0+1m), #1003 none (T0+5m), #1004 none (T0+3m),
 * #1005 due +2h (T0+2m, newer than #1001), #1006 pending, due +30m (T0+4m).
 */
async function setup() {
  const db = await tempStore();
  const app = createApp({
    store: db.store,
    config: testConfig(db.dir),
    outbox: { wake() {} },
    now: () => T0,
  });
  const admin = await createAgent(db.store, {
    email: "admin@example.test",
    name: "Admin",
    password: "correct horse battery",
    role: "admin",
  });
  const tickets: Array<[activity: number, dueAt: number | null, status: string]> = [
    [0, T0 + 120 * MINUTE, "new"],
    [1, T0 + 60 * MINUTE, "new"],
    [5, null, "new"],
    [3, null, "new"],
    [2, T0 + 120 * MINUTE, "new"],
    [4, T0 + 30 * MINUTE, "pending"],
  ];
  for (const [i, [activity, dueAt, status]] of tickets.entries()) {
    const { id } = await createTicketForCustomer(db.store, {
      customer: { email: `c${i}@example.com`, name: `Customer ${i}` },
      subject: `Question ${i}`,
      text: "Hello",
      channel: "phone",
      supportAddress: "support@example.test",
      agentId: null,
      now: T0 + activity * MINUTE,
    });
    // Deadlines as db/sla.ts stores them; no policy is needed to test the order.
    await db.store.writeTx((tx) =>
      tx.updateTable("tickets").set({ sla_due_at: dueAt, status }).where("id", "=", id).execute()
    );
  }
  const login = await app.request(`${ORIGIN}/login`, {
    method: "POST",
    headers: { origin: ORIGIN },
    body: new URLSearchParams({
      email: "admin@example.test",
      password: "correct horse battery",
      next: "/",
    }),
  });
  assert.equal(login.status, 303);
  const cookie = login.headers.get("set-cookie")!.split(";")[0];
  const token = await createApiToken(db.store, admin.id, "test");
  return {
    ...db,
    page: (path: string) => app.request(`${ORIGIN}${path}`, { headers: { cookie } }),
    api: (path: string) =>
      app.request(`${ORIGIN}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } }),
  };
}

function rowNumbers(html: string): number[] {
  return [...html.matchAll(/data-ticket="(\d+)"/g)].map((m) => Number(m[1]));
}

Deno.test("inbox sort: due soonest puts the nearest deadline first, none last, ties by activity", async () => {
  const t = await setup();
  try {
    const res = await t.page("/?status=new&sort=due");
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /text\/html/);
    const html = await res.text();
    assert.deepEqual(rowNumbers(html), [1002, 1005, 1001, 1003, 1004]);
    assert.match(html, /<option value="due" selected>期限が近い順<\/option>/);
    assert.match(html, /href="\/\?status=pending&amp;sort=due&amp;page=1"/, "folders keep it");

    const all = await (await t.page("/?status=all&sort=due")).text();
    assert.deepEqual(rowNumbers(all), [1006, 1002, 1005, 1001, 1003, 1004]);

    const newest = await (await t.page("/?status=new")).text();
    assert.deepEqual(rowNumbers(newest), [1003, 1004, 1005, 1002, 1001], "newest stays default");
  } finally {
    await t.cleanup();
  }
});

Deno.test("inbox sort: the API accepts sort=due with the same order and pages through it", async () => {
  const t = await setup();
  try {
    const numbers = async (path: string) => {
      const res = await t.api(path);
      assert.equal(res.status, 200);
      assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
      return (await res.json()).tickets.map((tk: { number: number }) => tk.number);
    };
    assert.deepEqual(await numbers("/tickets?sort=due"), [1006, 1002, 1005, 1001, 1003, 1004]);
    assert.deepEqual(await numbers("/tickets?status=new&sort=due&per_page=2&page=2"), [
      1001,
      1003,
    ]);
    const bad = await t.api("/tickets?sort=deadline");
    assert.equal(bad.status, 422);
    assert.match((await bad.json()).error.fields.sort, /newest, oldest, due/);
  } finally {
    await t.cleanup();
  }
});
