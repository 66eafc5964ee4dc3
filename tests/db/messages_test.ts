import assert from "node:assert/strict";
import type { Tx } from "../../db/client.ts";
import {
  findAttachment,
  hasInboundMessageId,
  insertCustomerMessage,
  insertMessage,
  lastInboundMessage,
  listMessages,
  type NewMessage,
  PREFIX_CHARS,
  ticketParticipants,
  ticketsByMessageIds,
  ticketsByReplyTokens,
} from "../../db/messages.ts";
import { seedTicket, withStore } from "./seed.ts";
import { loadSlaRows } from "../../db/sla.ts";

function message(ticketId: number, over: Partial<NewMessage> = {}): NewMessage {
  return {
    ticketId,
    direction: "in",
    messageId: null,
    inReplyTo: null,
    references: [],
    from: { address: "taro@example.com", name: "太郎" },
    to: [{ address: "support@example.test", name: "" }],
    cc: [],
    subject: "件名",
    text: "本文",
    html: null,
    autoKind: "none",
    rawId: null,
    agentId: null,
    createdAt: 0,
    attachments: [],
    ...over,
  };
}

const put = (tx: Tx, ticketId: number, over: Partial<NewMessage> = {}) =>
  insertMessage(tx, message(ticketId, over));

Deno.test("messages: a ticket's conversation comes back oldest first with its attachments", () =>
  withStore(async (store) => {
    const { t, other } = await store.writeTx(async (tx) => {
      const t = await seedTicket(tx);
      const other = await seedTicket(tx);
      await put(tx, t.id, {
        text: "first",
        cc: [{ address: "boss@example.com", name: "Boss" }],
        attachments: [{
          filename: "請求書.pdf",
          contentType: "application/pdf",
          contentId: null,
          disposition: "attachment",
          content: new Uint8Array([1, 2, 3]),
        }],
      });
      await put(tx, other.id, { text: "elsewhere" });
      await put(tx, t.id, { direction: "out", text: "second", agentId: null });
      return { t, other };
    });
    const list = await listMessages(store.db, t.id);
    assert.deepEqual(list.map((m) => [m.direction, m.text]), [["in", "first"], ["out", "second"]]);
    assert.deepEqual(list[0].cc, [{ address: "boss@example.com", name: "Boss" }]);
    assert.deepEqual(list[0].attachments.map((a) => [a.filename, a.size]), [["請求書.pdf", 3]]);
    assert.deepEqual(list[1].attachments, []);
    assert.equal(list[1].delivery, null, "no outbox row: no delivery state");
    const att = await findAttachment(store.db, list[0].attachments[0].id);
    assert.equal(att?.ticketId, t.id);
    assert.deepEqual(new Uint8Array(att!.content), new Uint8Array([1, 2, 3]));
    assert.deepEqual((await listMessages(store.db, other.id)).map((m) => m.text), ["elsewhere"]);
  }));

Deno.test("messages: a message typed outside mail is inbound, addressed to us, with no Message-ID", () =>
  withStore(async (store) => {
    const t = await store.writeTx((tx) => seedTicket(tx));
    await store.writeTx((tx) =>
      insertCustomerMessage(tx, {
        ticketId: t.id,
        from: { address: "taro@example.com", name: "太郎" },
        supportAddress: "support@example.test",
        subject: "フォームから",
        text: "よろしく",
        attachments: [],
        now: 7_000,
      })
    );
    const [m] = await listMessages(store.db, t.id);
    assert.equal(m.direction, "in");
    assert.equal(m.messageId, null);
    assert.deepEqual(m.to, [{ address: "support@example.test", name: "" }]);
    assert.equal(m.createdAt, 7_000);
  }));

Deno.test("threading: Message-IDs map to their tickets, unknown ids are left out", () =>
  withStore(async (store) => {
    const found = await store.writeTx(async (tx) => {
      const a = await seedTicket(tx);
      const b = await seedTicket(tx);
      await put(tx, a.id, { messageId: "<in-a@example.com>" });
      await put(tx, b.id, { direction: "out", messageId: "<out-b@example.test>" });
      return {
        a: a.id,
        b: b.id,
        map: await ticketsByMessageIds(tx, [
          "<in-a@example.com>",
          "<out-b@example.test>",
          "<unknown@example.com>",
        ]),
        none: await ticketsByMessageIds(tx, []),
      };
    });
    assert.deepEqual(
      found.map,
      new Map([["<in-a@example.com>", found.a], ["<out-b@example.test>", found.b]]),
      "our own outbound ids thread replies too",
    );
    assert.equal(found.none.size, 0);
  }));

Deno.test("threading: reply tokens map to their tickets, unknown tokens are left out", () =>
  withStore(async (store) => {
    const r = await store.writeTx(async (tx) => {
      const a = await seedTicket(tx, { replyToken: "aaaa" });
      const b = await seedTicket(tx, { replyToken: "bbbb" });
      return { a, b, map: await ticketsByReplyTokens(tx, ["bbbb", "cccc", "aaaa"]) };
    });
    assert.deepEqual(r.map, new Map([["aaaa", r.a.id], ["bbbb", r.b.id]]));
  }));

Deno.test("threading: a duplicate check knows only inbound Message-IDs", () =>
  withStore(async (store) => {
    const r = await store.writeTx(async (tx) => {
      const t = await seedTicket(tx);
      await put(tx, t.id, { messageId: "<in@example.com>" });
      await put(tx, t.id, { direction: "out", messageId: "<out@example.test>" });
      return [
        await hasInboundMessageId(tx, "<in@example.com>"),
        await hasInboundMessageId(tx, "<out@example.test>"),
        await hasInboundMessageId(tx, "<other@example.com>"),
      ];
    });
    assert.deepEqual(r, [true, false, false]);
  }));

Deno.test("threading: participants are the customer and the senders and recipients of inbound mail", () =>
  withStore(async (store) => {
    const people = await store.writeTx(async (tx) => {
      const t = await seedTicket(tx, { email: "taro@example.com" });
      await put(tx, t.id, {
        from: { address: "hanako@example.com", name: "" },
        to: [{ address: "Support@Example.test", name: "" }],
        cc: [{ address: "Jiro@Example.com", name: "" }],
      });
      // What we sent is not evidence anyone else belongs to the thread.
      await put(tx, t.id, {
        direction: "out",
        from: { address: "support@example.test", name: "" },
        to: [{ address: "stranger@example.com", name: "" }],
      });
      const other = await seedTicket(tx, { email: "saburo@example.com" });
      await put(tx, other.id, { from: { address: "saburo@example.com", name: "" } });
      return await ticketParticipants(tx, t.id);
    });
    assert.deepEqual(
      [...people].sort(),
      ["hanako@example.com", "jiro@example.com", "support@example.test", "taro@example.com"],
    );
  }));

Deno.test("threading: the last inbound message is the newest one the customer sent, not ours", () =>
  withStore(async (store) => {
    const t = await store.writeTx(async (tx) => {
      const t = await seedTicket(tx);
      await put(tx, t.id, { messageId: "<1@example.com>", subject: "one" });
      await put(tx, t.id, {
        messageId: "<2@example.com>",
        subject: "two",
        references: ["<1@example.com>"],
      });
      await put(tx, t.id, { direction: "out", messageId: "<3@example.test>", subject: "ours" });
      return t;
    });
    const last = await lastInboundMessage(store.db, t.id);
    assert.equal(last?.messageId, "<2@example.com>");
    assert.equal(last?.subject, "two");
    assert.deepEqual(JSON.parse(last!.referencesJson), ["<1@example.com>"]);
    const empty = await store.writeTx((tx) => seedTicket(tx));
    assert.equal(await lastInboundMessage(store.db, empty.id), undefined);
  }));

Deno.test("messages: a page's body budget loads the newest bodies whole, older ones in part and says so", () =>
  withStore(async (store) => {
    const long = "ログの行です。\n".repeat(75_000); // 600 000 characters
    const t = await store.writeTx(async (tx) => {
      const t = await seedTicket(tx);
      await put(tx, t.id, { text: long, html: `<p>${long}</p>` });
      await put(tx, t.id, { text: "短い返事" });
      await put(tx, t.id, { text: long, html: null });
      await put(tx, t.id, { text: long.slice(0, 500_000) });
      return t;
    });
    const whole = await listMessages(store.db, t.id);
    assert.deepEqual(whole.map((m) => m.text.length), [600_000, 4, 600_000, 500_000]);
    assert.ok(whole.every((m) => m.clipped === null));

    // 500 000 + 600 000 fit in 1 200 000; the next one (4) would too, but the oldest (1.2 M) not:
    // everything up to and including it is loaded in part.
    const budget = await listMessages(store.db, t.id, { bodyBudget: 1_200_000 });
    assert.deepEqual(budget.map((m) => m.text.length), [PREFIX_CHARS, 4, 600_000, 500_000]);
    assert.equal(budget[0].text, long.slice(0, PREFIX_CHARS));
    assert.equal(budget[0].html, null);
    assert.deepEqual(budget[0].clipped, { text: 600_000, html: 600_007 });
    assert.deepEqual(budget.slice(1).map((m) => m.clipped), [null, null, null]);
    // A short message cut by the budget has its whole text already: nothing to say.
    const tight = await listMessages(store.db, t.id, { bodyBudget: 10 });
    assert.deepEqual(tight.map((m) => m.text.length), [PREFIX_CHARS, 4, PREFIX_CHARS, 500_000]);
    assert.deepEqual(tight.map((m) => m.clipped), [
      { text: 600_000, html: 600_007 },
      null,
      { text: 600_000 },
      null,
    ]);
  }));

Deno.test("sla facts: the first reply, and the first customer mail after the last reply (auto-replies aside)", () =>
  withStore(async (store) => {
    const at = (min: number) => min * 60_000;
    const [a, b] = await store.writeTx(async (tx) => {
      const a = await seedTicket(tx);
      const b = await seedTicket(tx);
      const agent = { from: { address: "support@example.test", name: "" }, agentId: 1 };
      await tx.insertInto("agents").values({
        id: 1,
        email: "aki@example.test",
        name: "亜紀",
        password_hash: "x",
        role: "agent",
        created_at: 0,
      }).execute();
      await put(tx, a.id, { createdAt: at(1) });
      await put(tx, a.id, { ...agent, direction: "out", createdAt: at(2) });
      await put(tx, a.id, { createdAt: at(3) });
      await put(tx, a.id, { ...agent, direction: "out", createdAt: at(5) });
      await put(tx, a.id, { createdAt: at(6), autoKind: "auto-reply" });
      await put(tx, a.id, { createdAt: at(7) });
      await put(tx, a.id, { createdAt: at(8) });
      await put(tx, b.id, { createdAt: at(4), autoKind: "auto-reply" });
      await put(tx, b.id, { createdAt: at(9) });
      return [a, b];
    });
    const rows = await loadSlaRows(store.db, { ticketIds: [a.id, b.id] });
    const facts = new Map(rows.map((r) => [r.id, r.facts]));
    assert.equal(facts.get(a.id)!.firstResponseAt, at(2));
    assert.equal(facts.get(a.id)!.awaitingSince, at(7));
    assert.equal(facts.get(b.id)!.firstResponseAt, null);
    assert.equal(facts.get(b.id)!.awaitingSince, at(9));
  }));
