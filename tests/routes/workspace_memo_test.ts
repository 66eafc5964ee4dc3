/**
 * The workspace's kept panes (db/read_memo.ts, components/kept_html.ts): a page served from
 * them is byte for byte the page rendered afresh, banner and open ticket included, and a commit
 * shows on the next view.
 */
import assert from "node:assert/strict";
import { createApp } from "../../routes/mod.tsx";
import { createReadMemo } from "../../db/read_memo.ts";
import { changeStatus, createAgent, createSession, createTicketForCustomer } from "../runtime.ts";
import { tempStore, testConfig } from "../helpers.ts";

const ORIGIN = "http://localhost";
// One instant for every request, so relative times match between the two apps.
const NOW = Date.now();

Deno.test("workspace memo: kept panes render the same page as fresh ones, and a commit shows at once", async () => {
  const t = await tempStore();
  try {
    const agent = await createAgent(t.store, {
      email: "aki@example.test",
      name: "亜紀",
      password: "correct horse battery",
      role: "admin",
    });
    const cookie = `madoguchi_session=${await createSession(t.store, agent.id, 3600_000)}`;
    const tickets = [];
    for (
      const [i, subject] of ["請求書の再発行", "ログインできません", "<b>配送</b>の件"].entries()
    ) {
      tickets.push(
        await createTicketForCustomer(t.store, {
          customer: { email: `c${i}@example.com`, name: `顧客${i}` },
          subject,
          text: "本文",
          channel: "web",
        }),
      );
    }
    const config = testConfig(t.dir);
    const deps = { config, outbox: { wake() {} }, now: () => NOW };
    const kept = createApp({ ...deps, store: t.store });
    const fresh = createApp({ ...deps, store: { ...t.store, memo: createReadMemo(null) } });
    const page = async (app: typeof kept, path: string) => {
      const res = await app.request(`${ORIGIN}${path}`, { headers: { cookie } });
      assert.equal(res.status, 200, path);
      // The composer's stamp is a fresh nonce on every view.
      return (await res.text()).replace(/name="compose_stamp" value="[^"]*"/, "compose_stamp");
    };
    const paths = [
      "/?status=all",
      "/",
      `/tickets/${tickets[1].number}`,
      "/?status=all&sort=oldest",
    ];
    for (const path of paths) {
      const first = await page(kept, path);
      // The second view is served from the kept panes.
      assert.equal(await page(kept, path), first, path);
      assert.equal(await page(fresh, path), first, path);
    }
    // The admin's getting-started banner sits inside the list: kept panes keep its place.
    assert.match(await page(kept, "/"), /class="[^"]*onboarding/);

    const before = await page(kept, "/?status=all");
    assert.match(before, /&lt;b>配送&lt;\/b>の件/);
    await changeStatus(t.store, tickets[0].id, "resolved", agent.id, NOW);
    const after = await page(kept, "/?status=all");
    assert.notEqual(after, before);
    assert.equal(after, await page(fresh, "/?status=all"));
    assert.match(
      await page(kept, "/?status=resolved"),
      new RegExp(`data-ticket="${tickets[0].number}"`),
    );
  } finally {
    await t.cleanup();
  }
});
