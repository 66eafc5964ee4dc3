/** Bounces: read from DSNs and plain-text reports, joined to the ticket, delivery marked failed. */
import assert from "node:assert/strict";
import { parseMessage } from "../../mail/parse.ts";
import { ingestMessage, queueReply } from "../runtime.ts";
import { queueAutoMail } from "../../mail/outbound_record.ts";
import { listMessages } from "../../db/messages.ts";
import { findTicketByNumber } from "../../db/tickets.ts";
import { readBounce } from "../../domain/bounce.ts";
import { rawMail, tempStore } from "../helpers.ts";
import type { Store } from "../../db/client.ts";

const CORPUS = new URL("../../../shared/corpus/sisimai/maildir/bsd/", import.meta.url);
const hasCorpus = (() => {
  try {
    Deno.statSync(CORPUS);
    return true;
  } catch {
    return false;
  }
})();

const settings = {
  supportAddress: "support@example.test",
  fromName: "サポート窓口",
  subjectTagPrefix: "#",
  relayConfigured: true,
};
const daemonEnvelope = { mailFrom: null, rcptTo: ["support@example.test"], remoteAddress: null };

/** A ticket from taro@example.com with our reply to it; returns the reply's Message-ID. */
async function ticketWithReply(store: Store) {
  await store.writeTx((tx) =>
    tx.insertInto("agents").values({
      email: "sato@example.test",
      name: "佐藤",
      password_hash: "x",
      role: "agent",
      created_at: 0,
    }).execute()
  );
  const raw = rawMail({
    From: "Taro <taro@example.com>",
    To: "support@example.test",
    Subject: "見積もり",
    "Message-ID": "<q1@example.com>",
  }, "お願いします");
  await ingestMessage(store, new TextEncoder().encode(raw), {
    mailFrom: "taro@example.com",
    rcptTo: ["support@example.test"],
    remoteAddress: null,
  });
  const ticket = (await findTicketByNumber(store.db, 1001))!;
  await queueReply(store, settings, {
    ticketId: ticket.id,
    agent: { id: 1, name: "佐藤" },
    text: "お見積もりです。",
    status: "pending",
  });
  const reply = (await listMessages(store.db, ticket.id)).find((m) => m.direction === "out")!;
  return { ticket, replyId: reply.messageId! };
}

/** An RFC 3464 report with the original's headers attached, and no threading headers at all. */
function dsn(originalHeaders: string[], part = "text/rfc822-headers"): Uint8Array {
  return new TextEncoder().encode([
    "From: Mail Delivery System <MAILER-DAEMON@mx.example.net>",
    "To: support@example.test",
    "Subject: Undelivered Mail Returned to Sender",
    "Message-ID: <bounce-1@mx.example.net>",
    "MIME-Version: 1.0",
    'Content-Type: multipart/report; report-type=delivery-status; boundary="r"',
    "",
    "--r",
    "Content-Type: text/plain; charset=us-ascii",
    "",
    "I'm sorry to have to inform you that your message could not be delivered.",
    "--r",
    "Content-Type: message/delivery-status",
    "",
    "Reporting-MTA: dns; mx.example.net",
    "",
    "Final-Recipient: rfc822; taro@example.com",
    "Action: failed",
    "Status: 5.1.1",
    "Diagnostic-Code: smtp; 550 5.1.1 <taro@example.com>: Recipient address rejected",
    "",
    "--r",
    `Content-Type: ${part}`,
    "",
    ...originalHeaders,
    "",
    "--r--",
    "",
  ].join("\r\n"));
}

Deno.test("bounce: a DSN gives recipient, status, severity and the returned Message-ID", async () => {
  const message = await parseMessage(dsn(["Message-ID: <abc.123@example.test>", "To: x@y.z"]));
  assert.equal(message.autoKind, "bounce");
  assert.deepEqual(message.bounce, {
    recipient: "taro@example.com",
    status: "5.1.1",
    severity: "hard",
    failed: true,
    diagnostic: "550 5.1.1 <taro@example.com>: Recipient address rejected",
    originalMessageIds: ["abc.123@example.test"],
    replyTokens: [],
  });
});

Deno.test("bounce: a delayed 4.x.x report is soft and not a failure", () => {
  const bounce = readBounce({
    text: "",
    deliveryStatus: [
      "Reporting-MTA: dns; a\n\nFinal-Recipient: rfc822; a@b.example\nAction: delayed\nStatus: 4.4.1",
    ],
    original: [],
  });
  assert.equal(bounce?.severity, "soft");
  assert.equal(bounce?.failed, false);
});

Deno.test({
  name: "bounce: corpus qmail, Exchange and Postfix reports are read",
  ignore: !hasCorpus,
  async fn() {
    const read = async (name: string) =>
      (await parseMessage(Deno.readFileSync(new URL(name, CORPUS)))).bounce;
    const qmail = await read("lhost-qmail-01.eml");
    assert.equal(qmail?.recipient, "kijitora@example.ne.jp");
    assert.equal(qmail?.status, "5.5.0");
    assert.match(qmail?.diagnostic ?? "", /550 Unknown user/);
    assert.deepEqual(qmail?.originalMessageIds, [
      "000000000.9999999999999.JavaMail.postmaster@mailhub",
    ]);
    const exchange = await read("lhost-exchange2007-01.eml");
    assert.equal(exchange?.recipient, "mikeneko@example.co.jp");
    assert.equal(exchange?.status, "5.1.1");
    const postfix = await read("lhost-postfix-01.eml");
    assert.equal(postfix?.recipient, "kijitora@example.org");
    assert.equal(postfix?.severity, "hard");
  },
});

Deno.test("bounce: joins its ticket by the attached original, marks the reply failed, never reopens", async () => {
  const { store, cleanup } = await tempStore();
  try {
    const { ticket, replyId } = await ticketWithReply(store);
    const result = await ingestMessage(
      store,
      dsn([`Message-ID: <${replyId}>`, "To: Taro <taro@example.com>"], "message/rfc822"),
      daemonEnvelope,
    );
    assert.equal(result.kind, "joined");
    assert.equal((await findTicketByNumber(store.db, 1001))!.status, "pending");
    const messages = await listMessages(store.db, ticket.id);
    const reply = messages.find((m) => m.direction === "out")!;
    assert.equal(reply.delivery?.status, "failed");
    assert.match(reply.delivery?.lastError ?? "", /5\.1\.1 .*Recipient address rejected/);
    assert.equal(messages.at(-1)?.autoKind, "bounce");
  } finally {
    await cleanup();
  }
});

Deno.test("bounce: a qmail report found by our plus-address pauses automatic mail to the address", async () => {
  const { store, cleanup } = await tempStore();
  try {
    const { ticket } = await ticketWithReply(store);
    const qmail = rawMail(
      {
        From: "MAILER-DAEMON@mx.example.net",
        To: "support@example.test",
        Subject: "failure notice",
      },
      [
        "Hi. This is the qmail-send program at mx.example.net.",
        "I'm afraid I wasn't able to deliver your message to the following addresses.",
        "This is a permanent error; I've given up. Sorry it didn't work out.",
        "",
        "<taro@example.com>:",
        "192.0.2.1 does not like recipient.",
        "Remote host said: 550 5.1.1 No such user",
        "",
        "--- Below this line is a copy of the message.",
        "",
        `Reply-To: support+t${ticket.replyToken}@example.test`,
        "Subject: Re: 見積もり [#1001]",
      ].join("\r\n"),
    );
    const result = await ingestMessage(store, new TextEncoder().encode(qmail), daemonEnvelope);
    assert.equal(result.kind, "joined");
    const reply = (await listMessages(store.db, ticket.id)).find((m) => m.direction === "out")!;
    assert.equal(reply.delivery?.status, "failed");
    // Automatic mail to the address is recorded but not sent, with the reason.
    const id = await store.writeTx((tx) =>
      queueAutoMail(tx, { ...settings }, {
        direction: "out",
        ticket,
        to: [{ address: "taro@example.com", name: "Taro" }],
        subject: "リマインダー",
        text: "x",
        now: Date.now(),
      })
    );
    const auto = (await listMessages(store.db, ticket.id)).find((m) => m.id === id)!;
    assert.equal(auto.delivery?.status, "failed");
    assert.match(auto.delivery?.lastError ?? "", /bounced.*taro@example\.com/);
  } finally {
    await cleanup();
  }
});
