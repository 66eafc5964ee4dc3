/** Ticket versions by trigger (migration 0014): what moves them and what does not. */
import assert from "node:assert/strict";
import { ingestMessage } from "../runtime.ts";
import { rawMail, tempStore } from "../helpers.ts";
import { findTicketByNumber } from "../../db/tickets.ts";
import { messagesSinceVersion } from "../../db/ticket_versions.ts";
import { insertMessage } from "../../db/messages.ts";

Deno.test("ticket version: a message (a note too) and a status change move it; the priority does not", async () => {
  const { store, cleanup } = await tempStore();
  try {
    await ingestMessage(
      store,
      new TextEncoder().encode(rawMail({
        From: "taro@example.com",
        To: "support@example.test",
        Subject: "x",
        "Message-ID": "<v@example.com>",
      }, "hello")),
      { mailFrom: null, rcptTo: ["support@example.test"], remoteAddress: null },
    );
    const t0 = (await findTicketByNumber(store.db, 1001))!;
    assert.ok(t0.version >= 1);
    const noteId = await store.writeTx((tx) =>
      insertMessage(tx, {
        ticketId: t0.id,
        direction: "note",
        messageId: null,
        inReplyTo: null,
        references: [],
        from: { address: "a@example.test", name: "A" },
        to: [],
        cc: [],
        subject: "",
        text: "memo",
        html: null,
        autoKind: "none",
        rawId: null,
        agentId: null,
        createdAt: 0,
        attachments: [],
      })
    );
    const t1 = (await findTicketByNumber(store.db, 1001))!;
    assert.equal(t1.version, t0.version + 1);
    assert.deepEqual((await messagesSinceVersion(store.db, t0.id, t0.version)).map((m) => m.id), [
      noteId,
    ]);
    await store.writeTx((tx) =>
      tx.updateTable("tickets").set({ status: "open" }).where("id", "=", t0.id).execute()
    );
    const t2 = (await findTicketByNumber(store.db, 1001))!;
    assert.equal(t2.version, t1.version + 1);
    await store.writeTx((tx) =>
      tx.updateTable("tickets").set({ priority: "high", status: "open" }).where("id", "=", t0.id)
        .execute()
    );
    assert.equal((await findTicketByNumber(store.db, 1001))!.version, t2.version);
  } finally {
    await cleanup();
  }
});
