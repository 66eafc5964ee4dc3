/** A mail too long to keep whole: the conversation says so and hands out the original (.eml). */
import assert from "node:assert/strict";
import { createApp } from "../../routes/mod.tsx";
import { createAgent, createApiToken, createSession, ingestMessage } from "../runtime.ts";
import { rawMail, tempStore, testConfig } from "../helpers.ts";
import { MAX_SHOWN_CHARS } from "../../mail/parse.ts";

const ORIGIN = "http://localhost";

Deno.test("clipped mail: the ticket shows the beginning with a notice; the original is saved whole", async () => {
  const t = await tempStore();
  try {
    const app = createApp({ store: t.store, config: testConfig(t.dir), outbox: { wake() {} } });
    const a = await createAgent(t.store, {
      email: "aki@example.test",
      name: "亜紀",
      password: "correct horse battery",
      role: "agent",
    });
    const cookie = `madoguchi_session=${await createSession(t.store, a.id, 3600_000)}`;
    const get = (path: string) => app.request(`${ORIGIN}${path}`, { headers: { cookie } });

    const body = "エラーログ 0123456789\n".repeat(40_000) + "最後の行\n";
    const raw = new TextEncoder().encode(
      rawMail({ From: "ops@example.com", To: "support@example.test", Subject: "ログ" }, body),
    );
    const envelope = { mailFrom: "ops@example.com", rcptTo: ["support@example.test"] };
    const long = await ingestMessage(t.store, raw, { ...envelope, remoteAddress: null });
    assert.ok("ticketNumber" in long);
    const short = await ingestMessage(
      t.store,
      new TextEncoder().encode(
        rawMail({ From: "b@example.com", To: "support@example.test", Subject: "短い" }, "本文"),
      ),
      { ...envelope, remoteAddress: null },
    );
    assert.ok("ticketNumber" in short);
    const ids = await t.store.db.selectFrom("messages").select(["id", "raw_id"])
      .orderBy("id").execute();
    const longId = ids.find((m) => m.raw_id === long.rawId)!.id;
    const shortId = ids.find((m) => m.raw_id === short.rawId)!.id;

    const page = await (await get(`/tickets/${long.ticketNumber}`)).text();
    const whole = body.length.toLocaleString("ja");
    assert.ok(page.includes(`先頭の一部だけを表示しています (全体で ${whole} 文字)`));
    const original = `/tickets/${long.ticketNumber}/messages/${longId}/original`;
    assert.ok(page.includes(`href="${original}"`));
    assert.ok(!page.includes("最後の行"));
    assert.ok(page.length < MAX_SHOWN_CHARS * 2);

    const saved = await get(original);
    assert.equal(saved.status, 200);
    assert.match(saved.headers.get("content-disposition")!, /^attachment; filename="\d+-\d+\.eml"/);
    assert.equal(saved.headers.get("x-content-type-options"), "nosniff");
    assert.deepEqual(new Uint8Array(await saved.arrayBuffer()), raw);

    // The API says the same: how long the whole was, and where the original is.
    const token = await createApiToken(t.store, a.id, "test");
    const api = (path: string) =>
      app.request(path, { headers: { authorization: `Bearer ${token}` } });
    const json = await (await api(`${ORIGIN}/api/v1/tickets/${long.ticketNumber}`)).json();
    const message = json.messages[0];
    assert.deepEqual(message.clipped, { text: body.length });
    assert.equal(
      message.original_url,
      `${testConfig(t.dir).publicUrl}/api/v1/messages/${longId}/original`,
    );
    const viaApi = await api(`${ORIGIN}/api/v1/messages/${longId}/original`);
    assert.equal(viaApi.status, 200);
    assert.deepEqual(new Uint8Array(await viaApi.arrayBuffer()), raw);
    const none = await api(`${ORIGIN}/api/v1/messages/999999/original`);
    assert.equal(none.status, 404);
    assert.equal((await none.json()).error.code, "not_found");

    // A short mail has no notice, but its original all the same; another ticket's message is 404.
    const plain = await (await get(`/tickets/${short.ticketNumber}`)).text();
    assert.ok(!plain.includes("先頭の一部だけ"));
    assert.ok(plain.includes(`/tickets/${short.ticketNumber}/messages/${shortId}/original`));
    const crossed = await get(`/tickets/${short.ticketNumber}/messages/${longId}/original`);
    assert.equal(crossed.status, 404);
    await crossed.body?.cancel();
  } finally {
    await t.cleanup();
  }
});
