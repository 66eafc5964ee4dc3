/** Public and admin pages show fixed messages, never an exception's or a URL's text. */
import assert from "node:assert/strict";
import { createApp } from "../../routes/mod.tsx";
import { createAgent } from "../runtime.ts";
import { openStore } from "../../db/client.ts";
import { tempStore, testConfig } from "../helpers.ts";

const ORIGIN = "http://localhost";

Deno.test("healthz: a database failure is a 503 with a generic message; the detail goes to the log", async () => {
  const dir = await Deno.makeTempDir({ prefix: "madoguchi-test-" });
  const store = await openStore(`file:${dir}/test.db`);
  const app = createApp({ store, config: testConfig(dir), outbox: { wake: () => {} } });
  await store.close();
  const logged: unknown[][] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => void logged.push(args);
  try {
    const res = await app.request(`${ORIGIN}/healthz`);
    assert.equal(res.status, 503);
    assert.match(res.headers.get("content-type")!, /application\/json/);
    assert.deepEqual(await res.json(), {
      ok: false,
      db: { ok: false, error: "database unavailable" },
      smtp: null,
    });
    assert.equal(logged.length, 1, "the real error is logged");
  } finally {
    console.error = original;
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("quarantine: ?error= shows only known codes as catalog messages, never the query's text", async () => {
  const db = await tempStore();
  try {
    const app = createApp({
      store: db.store,
      config: testConfig(db.dir),
      outbox: { wake: () => {} },
    });
    await createAgent(db.store, {
      email: "admin@example.test",
      name: "管理者",
      password: "correct horse battery",
      role: "admin",
    });
    const login = await app.request(`${ORIGIN}/login`, {
      method: "POST",
      headers: { origin: ORIGIN },
      body: new URLSearchParams({
        email: "admin@example.test",
        password: "correct horse battery",
        next: "/",
      }),
    });
    const cookie = login.headers.get("set-cookie")!.split(";")[0];
    const get = (path: string) => app.request(`${ORIGIN}${path}`, { headers: { cookie } });

    const phishing = encodeURIComponent(
      "セッションが切れました。https://evil.example で再ログイン",
    );
    const forged = await get(`/admin/quarantine?error=${phishing}`);
    assert.equal(forged.status, 200);
    const html = await forged.text();
    assert.doesNotMatch(html, /evil\.example/);
    assert.doesNotMatch(html, /role="alert"/);

    const reprocess = await app.request(`${ORIGIN}/admin/quarantine/999/reprocess`, {
      method: "POST",
      headers: { cookie, origin: ORIGIN },
    });
    assert.equal(reprocess.status, 303);
    assert.equal(reprocess.headers.get("location"), "/admin/quarantine?error=gone");
    assert.match(await (await get("/admin/quarantine?error=gone")).text(), /既に処理されたか/);
    assert.doesNotMatch(
      await (await get("/admin/quarantine?error=toString")).text(),
      /role="alert"/,
    );
  } finally {
    await db.cleanup();
  }
});
