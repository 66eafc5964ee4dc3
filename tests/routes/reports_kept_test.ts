/**
 * The report page from kept reads (routes/reports.tsx keptReport, components/kept_html.ts
 * keptHtml with its slot): byte for byte the page rendered afresh, for an admin (with the subscription
 * form in its slot) and for an agent (their own figures), and a new ticket shows at once.
 */
import assert from "node:assert/strict";
import { reportTeam } from "./report_fixture.ts";
import { createApp } from "../../routes/mod.tsx";
import { createReadMemo } from "../../db/read_memo.ts";
import { createSession, run } from "../runtime.ts";
import { createTicketForCustomer } from "../../services/customer_tickets.ts";
import { testConfig } from "../helpers.ts";

const at = (local: string) => Date.parse(`${local}+09:00`);
const NOW = at("2026-05-20T12:00");

Deno.test("reports: a page from the kept report is the fresh page, and a new ticket shows at once", async () => {
  const t = await reportTeam(NOW);
  try {
    let customers = 0;
    const open = (subject: string, now: number) =>
      run(t.rt, (ctx) =>
        createTicketForCustomer(ctx, {
          customer: { email: `c${++customers}@example.com`, name: "太郎" },
          subject,
          text: "本文",
          channel: "mail",
        }), { now });
    await open("請求書", at("2026-05-02T10:00"));
    await open("ログイン", at("2026-05-03T15:00"));
    const fresh = createApp({
      store: { ...t.store, memo: createReadMemo(null) },
      config: testConfig(t.dir),
      outbox: { wake: () => {} },
      now: () => NOW,
    });
    const cookies = [
      `madoguchi_session=${await createSession(t.store, t.admin.id, 3600_000)}`,
      `madoguchi_session=${await createSession(t.store, t.aki.id, 3600_000)}`,
    ];
    const page = async (app: typeof fresh, path: string, cookie: string) => {
      const res = await app.request(`http://localhost${path}`, { headers: { cookie } });
      assert.equal(res.status, 200, path);
      // Forms carry a fresh token on every view.
      return (await res.text()).replace(/name="_token" value="[^"]*"/g, "token");
    };
    const paths = ["/reports?period=month", "/reports?period=custom&from=2026-05-01&to=2026-05-03"];
    const seen = new Set<string>();
    for (const path of paths) {
      for (const cookie of cookies) {
        const first = await page(t.app, path, cookie);
        assert.equal(await page(t.app, path, cookie), first, `${path}: kept twice`);
        assert.equal(await page(fresh, path, cookie), first, `${path}: kept = fresh`);
        seen.add(first);
      }
    }
    assert.equal(seen.size, paths.length * cookies.length);
    const admin = await page(t.app, paths[1], cookies[0]);
    assert.match(admin, /action="\/reports\/subscriptions[?"]/, "the admin's subscription form");
    assert.doesNotMatch(
      await page(t.app, paths[1], cookies[1]),
      /action="\/reports\/subscriptions"/,
    );

    const received = (html: string) => html.match(/class="kpi-value"[^>]*>(\d+)</)?.[1];
    const before = received(admin);
    await open("配送", at("2026-05-03T16:00"));
    const after = await page(t.app, paths[1], cookies[0]);
    assert.notEqual(after, admin);
    assert.equal(after, await page(fresh, paths[1], cookies[0]));
    assert.equal(before, "2");
    assert.equal(received(after), "3");
  } finally {
    await t.cleanup();
  }
});
