/** Raw inbound and sent outbound bytes are stored compressed; rows from before stay readable. */
import assert from "node:assert/strict";
import { findRawMessage, insertRawMessage } from "../../db/raw_messages.ts";
import { insertMessage } from "../../db/messages.ts";
import { claimOutboxItem, dueOutboxItems, enqueueMail, settleOutboxItem } from "../../db/outbox.ts";
import { seedTicket, withStore } from "./seed.ts";

const ENVELOPE = {
  mailFrom: "taro@example.com",
  rcptTo: ["support@example.test"],
  remoteAddress: null,
};
const MAIL = new TextEncoder().encode(
  "From: taro@example.com\r\nSubject: test\r\n\r\n" +
    "請求書の再発行をお願いします。\r\n".repeat(400),
);

Deno.test("stored bytes: raw inbound mail is kept gzip-compressed and comes back exactly", () =>
  withStore(async (store) => {
    const id = await store.writeTx((tx) => insertRawMessage(tx, MAIL, "sha", ENVELOPE, 1));
    const row = await store.db.selectFrom("raw_messages").select([
      "content",
      "content_encoding",
      "size",
    ])
      .where("id", "=", id).executeTakeFirstOrThrow();
    assert.equal(row.content_encoding, "gzip");
    assert.equal(row.size, MAIL.byteLength);
    assert.ok(row.content.byteLength < MAIL.byteLength / 5, `${row.content.byteLength} bytes`);
    assert.deepEqual((await findRawMessage(store.db, id))!.content, MAIL);
  }));

Deno.test("stored bytes: a row stored before compression is read as it is", () =>
  withStore(async (store) => {
    const { id } = await store.writeTx((tx) =>
      tx.insertInto("raw_messages").values({
        sha256: "old",
        size: MAIL.byteLength,
        content: MAIL,
        mail_from: null,
        rcpt_to: "[]",
        remote_address: null,
        received_at: 1,
      }).returning("id").executeTakeFirstOrThrow()
    );
    assert.deepEqual((await findRawMessage(store.db, id))!.content, MAIL);
  }));

Deno.test("stored bytes: outbound mail is compressed once sent; queued mail is sent as composed", () =>
  withStore(async (store) => {
    await store.writeTx(async (tx) => {
      const ticket = await seedTicket(tx);
      for (let i = 0; i < 2; i++) {
        const messageId = await insertMessage(tx, {
          ticketId: ticket.id,
          direction: "out",
          messageId: `m${i}@example.test`,
          inReplyTo: null,
          references: [],
          from: { address: "support@example.test", name: "" },
          to: [{ address: "taro@example.com", name: "" }],
          cc: [],
          subject: "s",
          text: "t",
          html: null,
          autoKind: "none",
          rawId: null,
          agentId: null,
          createdAt: 1,
          attachments: [],
        });
        await enqueueMail(tx, {
          messageId,
          envelope: { from: "support@example.test", to: ["taro@example.com"] },
          raw: MAIL,
          held: false,
          now: 1,
        });
      }
    });
    const [first, second] = await dueOutboxItems(store.db, 10, 10, "w1");
    assert.deepEqual(first.raw, MAIL);
    await store.writeTx(async (tx) => {
      assert.ok(await claimOutboxItem(tx, first.id, { owner: "w1", now: 2, leaseUntil: 60_000 }));
      await settleOutboxItem(tx, first.id, "w1", { kind: "sent", now: 2 });
    });
    const rows = await store.db.selectFrom("outbox").select(["id", "raw", "raw_encoding"])
      .orderBy("id").execute();
    assert.equal(rows[0].raw_encoding, "gzip");
    assert.ok(rows[0].raw.byteLength < MAIL.byteLength / 5);
    assert.equal(rows[1].raw_encoding, "identity", "queued mail is not touched");
    assert.deepEqual(second.raw, MAIL);
  }));
