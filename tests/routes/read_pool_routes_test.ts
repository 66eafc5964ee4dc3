/** Search, reports, exports and the dashboard read through the read pool's workers. */
import assert from "node:assert/strict";
import { openStore } from "../../db/client.ts";
import { createApp } from "../../routes/mod.tsx";
import { createAgent, createApiToken, createTicketForCustomer } from "../runtime.ts";
import { testConfig } from "../helpers.ts";

const ORIGIN = "http://localhost";
const T0 = Date.UTC(2026, 6, 7, 1, 0, 0);

Deno.test("read pool: search, dashboard, reports and CSV answer from the workers", async () => {
  const dir = await Deno.makeTempDir({ prefix: "madoguchi-read-pool-routes-" });
  const store = await openStore(`file:${dir}/test.db`, { readWorkers: 1 });
  try {
    const app = createApp({ store, config: testConfig(dir), outbox: { wake() {} }, now: () => T0 });
    const admin = await createAgent(store, {
      email: "admin@example.test",
      name: "Admin",
      password: "correct horse battery",
      role: "admin",
    });
    await createTicketForCustomer(store, {
      customer: { email: "c@example.com", name: "山田 花子" },
      subject: "配送の件",
      text: "ペンギン急便の配達時間を教えてください",
      channel: "phone",
      agentId: null,
      now: T0 - 3_600_000,
    });
    const login = await app.request(`${ORIGIN}/login`, {
      method: "POST",
      headers: { origin: ORIGIN },
      body: new URLSearchParams({ email: "admin@example.test", password: "correct horse battery" }),
    });
    assert.equal(login.status, 303);
    const cookie = login.headers.get("set-cookie")!.split(";")[0];
    const token = await createApiToken(store, admin.id, "test");
    const page = (path: string) => app.request(`${ORIGIN}${path}`, { headers: { cookie } });
    assert.equal(store.readPool?.().workers, 0);

    const search = await page("/search?q=" + encodeURIComponent("ペンギン"));
    assert.equal(search.status, 200);
    assert.match(await search.text(), /配送の件/);
    const done = store.readPool!().done;
    assert.ok(done > 0, "the search ran on a worker");

    for (const path of ["/dashboard", "/reports?period=month"]) {
      const res = await page(path);
      assert.equal(res.status, 200, path);
      await res.arrayBuffer();
    }
    const csv = await page("/tickets.csv");
    assert.equal(csv.status, 200);
    assert.match(await csv.text(), /配送の件/);
    const api = await app.request(`${ORIGIN}/api/v1/search?q=${encodeURIComponent("配達")}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(api.status, 200);
    assert.equal((await api.json()).results.length, 1);
    assert.ok(store.readPool!().done > done, "reports and exports ran on a worker too");
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
});
