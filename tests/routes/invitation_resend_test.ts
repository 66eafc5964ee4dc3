/** Resending an invitation (admin page and API): a new link works, the previous one no longer. */
import assert from "node:assert/strict";
import { createApp } from "../../routes/mod.tsx";
import { agent, createAgent, createApiToken, createSession, run, testRuntime } from "../runtime.ts";
import { tempStore, testConfig } from "../helpers.ts";
import { createTeamAgent } from "../../services/agents.ts";
import { unpackBytes } from "../../db/stored_bytes.ts";
import { parseMessage } from "../../mail/parse.ts";
import type { Store } from "../../db/client.ts";

const ORIGIN = "http://localhost";

/** The secret of the latest invitation mail in the outbox. */
async function latestSecret(store: Store): Promise<string> {
  const row = await store.db.selectFrom("outbox").select(["raw", "raw_encoding"])
    .orderBy("id", "desc").limit(1).executeTakeFirstOrThrow();
  const mail = await parseMessage(unpackBytes(row.raw, row.raw_encoding as "identity"));
  const secret = /\/invite\/([A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
  assert.ok(secret, mail.text);
  return secret;
}

Deno.test("invitation: resending from 担当者管理 and the API mails a new link and ends the previous one", async () => {
  const db = await tempStore();
  try {
    const app = createApp({ store: db.store, config: testConfig(db.dir), outbox: { wake() {} } });
    const admin = await createAgent(db.store, {
      email: "admin@example.test",
      name: "管理",
      password: "correct horse battery",
      role: "admin",
    });
    const plain = await createAgent(db.store, {
      email: "agent@example.test",
      name: "担当",
      password: "correct horse battery",
      role: "agent",
    });
    const cookie = `madoguchi_session=${await createSession(db.store, admin.id, 3600_000)}`;
    const tokens = {
      admin: await createApiToken(db.store, admin.id, "t"),
      agent: await createApiToken(db.store, plain.id, "t"),
    };
    const { id, invitation: first } = await run(
      testRuntime(db.store),
      (ctx) => createTeamAgent(ctx, { email: "hanako@example.test", name: "花子", role: "agent" }),
      { actor: agent(admin) },
    );
    const open = (secret: string) => Promise.resolve(app.request(`${ORIGIN}/invite/${secret}`));
    assert.equal((await open(first!)).status, 200);

    const page = await (await app.request(`${ORIGIN}/admin/agents/${id}`, { headers: { cookie } }))
      .text();
    assert.match(page, /招待メールを再送/);
    const resent = await app.request(`${ORIGIN}/admin/agents/${id}/invitation`, {
      method: "POST",
      headers: { cookie, origin: ORIGIN },
    });
    assert.equal(resent.status, 303);
    assert.equal(resent.headers.get("location"), `/admin/agents/${id}?resent=1`);
    const second = await latestSecret(db.store);
    assert.notEqual(second, first);
    assert.notEqual((await open(first!)).status, 200);
    assert.equal((await open(second)).status, 200);

    const api = (who: "admin" | "agent") =>
      Promise.resolve(app.request(`/api/v1/agents/${id}/invitation`, {
        method: "POST",
        headers: { authorization: `Bearer ${tokens[who]}`, "content-type": "application/json" },
        body: "{}",
      }));
    assert.equal((await api("agent")).status, 403);
    const res = await api("admin");
    assert.equal(res.status, 202);
    assert.equal((await res.json()).invited, true);
    const third = await latestSecret(db.store);
    assert.notEqual((await open(second)).status, 200);
    assert.equal((await open(third)).status, 200);
    // An agent with a password is offered no invitation on their page.
    const other = await (await app.request(`${ORIGIN}/admin/agents/${plain.id}`, {
      headers: { cookie },
    })).text();
    assert.doesNotMatch(other, /招待メールを再送/);
  } finally {
    await db.cleanup();
  }
});
