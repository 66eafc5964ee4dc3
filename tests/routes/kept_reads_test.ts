/**
 * Reads kept per request path (db/read_memo.ts) that guard or badge every page: the session, the
 * unread-notification count, a ticket's reply panel. Each is kept only while nothing is committed,
 * so a sign-out elsewhere, a new notice or a colleague's draft shows on the very next request.
 */
import assert from "node:assert/strict";
import { createApp } from "../../routes/mod.tsx";
import { createAgent, createSession, createTicketForCustomer } from "../runtime.ts";
import { tempStore, testConfig } from "../helpers.ts";

const ORIGIN = "http://localhost";
const NOW = Date.now();

Deno.test("kept reads: an ended session, a new notice and a colleague's draft show at once", async () => {
  const t = await tempStore();
  try {
    const agents: { id: number }[] = [];
    for (const [name, email] of [["亜紀", "aki@example.test"], ["健", "ken@example.test"]]) {
      agents.push(
        await createAgent(t.store, {
          email,
          name,
          password: "correct horse battery",
          role: "agent",
        }),
      );
    }
    const secret = await createSession(t.store, agents[0].id, 3600_000);
    const cookie = `madoguchi_session=${secret}`;
    const { id, number } = await createTicketForCustomer(t.store, {
      customer: { email: "taro@example.com", name: "Taro" },
      subject: "請求書",
      text: "本文",
      channel: "phone",
    });
    const app = createApp({
      store: t.store,
      config: testConfig(t.dir),
      outbox: { wake() {} },
      now: () => NOW,
    });
    const get = (path: string) => app.request(`${ORIGIN}${path}`, { headers: { cookie } });

    // Twice: the second answer comes from kept reads.
    for (let i = 0; i < 2; i++) {
      const page = await (await get(`/tickets/${number}`)).text();
      assert.doesNotMatch(page, /class="unread-badge"/);
      assert.match(page, /&quot;drafts&quot;:\[\]/);
    }
    await t.store.writeTx((tx) =>
      tx.insertInto("notifications").values({
        agent_id: agents[0].id,
        ticket_id: id,
        kind: "assigned",
        data_json: "{}",
        created_at: NOW,
      }).execute()
    );
    assert.match(await (await get("/")).text(), /<span class="unread-badge">1<\/span>/);

    await t.store.writeTx((tx) =>
      tx.insertInto("reply_drafts").values({
        ticket_id: id,
        agent_id: agents[1].id,
        text: "下書き",
        version: 1,
        updated_at: NOW,
      }).execute()
    );
    assert.match(
      await (await get(`/tickets/${number}`)).text(),
      /&quot;drafts&quot;:\[\{&quot;id&quot;:2,&quot;name&quot;:&quot;健&quot;\}\]/,
    );

    // Two agents in turn, nothing committed between: each is who their own cookie says.
    const kenCookie = `madoguchi_session=${await createSession(t.store, agents[1].id, 3600_000)}`;
    for (let i = 0; i < 2; i++) {
      for (const [as, name] of [[cookie, "亜紀"], [kenCookie, "健"]]) {
        const res = await app.request(`${ORIGIN}/`, { headers: { cookie: as } });
        assert.match(await res.text(), new RegExp(`title="個人設定">${name}</a>`));
      }
    }

    // Signed out on another device (the session row goes): this cookie is refused next time.
    assert.equal((await get("/")).status, 200);
    await t.store.writeTx((tx) => tx.deleteFrom("sessions").execute());
    const refused = await get("/");
    assert.equal(refused.status, 303);
    assert.match(refused.headers.get("location") ?? "", /^\/login/);
  } finally {
    await t.cleanup();
  }
});
