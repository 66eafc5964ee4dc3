/** Ingest's one-statement ticket insert and reused reads keep the stored facts unchanged. */
import assert from "node:assert/strict";
import { ingestMessage } from "../runtime.ts";
import { createDepartment } from "../../db/departments.ts";
import { defaultDepartmentId, findTicket } from "../../db/tickets.ts";
import { rawMail, tempStore } from "../helpers.ts";

const env = { mailFrom: "taro@example.com", rcptTo: ["support@example.test"], remoteAddress: null };

Deno.test("ingest: a new ticket is numbered, counts its first message and goes to the default department; a tagged reply joins it", async () => {
  const { store, cleanup } = await tempStore();
  try {
    await store.writeTx((tx) => createDepartment(tx, { name: "営業", slug: "sales" }, Date.now()));
    const raw = (id: string, subject: string) =>
      new TextEncoder().encode(
        rawMail({ From: "taro@example.com", Subject: subject, "Message-ID": `<${id}>` }, "本文"),
      );
    const first = await ingestMessage(store, raw("a@example.com", "質問"), env, {
      now: () => 1_000,
    });
    assert.equal(first.kind, "created");
    if (first.kind !== "created") return;
    assert.equal(first.ticketNumber, 1001);
    const created = (await findTicket(store.db, first.ticketId))!;
    assert.equal(created.messageCount, 1);
    assert.equal(created.lastMessageAt, 1_000);
    assert.equal(created.departmentId, await defaultDepartmentId(store.db));

    const second = await ingestMessage(store, raw("b@example.com", "別件"), env, {
      now: () => 2_000,
    });
    assert.equal(second.kind === "created" && second.ticketNumber, 1002);

    const reply = await ingestMessage(store, raw("c@example.com", "Re: [#1001] 質問"), env, {
      now: () => 3_000,
    });
    assert.deepEqual(reply.kind === "joined" && reply.ticketId, first.ticketId);
    const joined = (await findTicket(store.db, first.ticketId))!;
    assert.equal(joined.messageCount, 2);
    assert.equal(joined.lastMessageAt, 3_000);
  } finally {
    await cleanup();
  }
});
