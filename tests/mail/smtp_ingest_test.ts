/** Real SMTP socket → real database file: acceptance, threading, limits, duplicates, quarantine. */
import assert from "node:assert/strict";
import { startInboundSmtp } from "../../mail/smtp_server.ts";
import { deliverTo, reprocess, run, testRuntime } from "../runtime.ts";
import { receiveMail } from "../../services/inbound_mail.ts";
import { findTicketByNumber } from "../../db/tickets.ts";
import { listTickets } from "../../db/ticket_list.ts";
import { listMessages } from "../../db/messages.ts";
import { listQuarantine } from "../../db/raw_messages.ts";
import { changeStatus } from "../../services/tickets.ts";
import { rawMail, sendRaw, tempStore } from "../helpers.ts";

async function withSmtp(
  fn: (ctx: Awaited<ReturnType<typeof tempStore>> & { port: number }) => Promise<void>,
  maxMessageBytes = 1024 * 1024,
) {
  const db = await tempStore();
  const smtp = await startInboundSmtp(deliverTo(db.store), {
    host: "127.0.0.1",
    port: 0,
    mailDomains: ["example.test"],
    maxMessageBytes,
    maxConnections: 10,
  });
  try {
    await fn({ ...db, port: smtp.port });
  } finally {
    await smtp.close();
    await db.cleanup();
  }
}

const env = { from: "taro@example.com", to: ["support@example.test"] };

Deno.test("smtp: a mail to our address becomes a ticket with customer, body and attachment", async () => {
  await withSmtp(async ({ store, port }) => {
    const raw = [
      "From: =?UTF-8?B?5bGx55Sw5aSq6YOO?= <Taro@Example.com>",
      "To: support@example.test",
      "Subject: =?UTF-8?B?6KuL5rGC5pu444Gu5YaN55m66KGM?=",
      "Message-ID: <first@example.com>",
      "MIME-Version: 1.0",
      'Content-Type: multipart/mixed; boundary="b"',
      "",
      "--b",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "請求書を再発行してください。",
      "--b",
      'Content-Type: text/plain; name="memo.txt"',
      'Content-Disposition: attachment; filename="memo.txt"',
      "",
      "hello attachment",
      "--b--",
      "",
    ].join("\r\n");
    const response = await sendRaw(port, env, raw);
    assert.match(response, /^250 .*#1001/);
    const ticket = await findTicketByNumber(store.db, 1001);
    assert.ok(ticket);
    assert.equal(ticket.subject, "請求書の再発行");
    assert.equal(ticket.customerEmail, "taro@example.com");
    assert.equal(ticket.customerName, "山田太郎");
    assert.equal(ticket.status, "new");
    const [message] = await listMessages(store.db, ticket.id);
    assert.match(message.text, /請求書を再発行してください/);
    assert.equal(message.attachments.length, 1);
    assert.equal(message.attachments[0].filename, "memo.txt");
  });
});

Deno.test("smtp: a recipient outside our domains is refused with 550 (no open relay)", async () => {
  await withSmtp(async ({ store, port }) => {
    await assert.rejects(
      sendRaw(
        port,
        { from: "x@example.com", to: ["victim@elsewhere.example"] },
        "Subject: x\r\n\r\nx",
      ),
      (err: { responseCode?: number; response?: string }) =>
        err.responseCode === 550 && /Relaying denied/.test(err.response ?? ""),
    );
    assert.equal((await listTickets(store.db, {})).total, 0);
  });
});

Deno.test("smtp: a message over the size limit is refused with 552 and nothing is stored", async () => {
  await withSmtp(async ({ store, port }) => {
    const big = rawMail({ Subject: "big" }, "x".repeat(20_000));
    await assert.rejects(
      sendRaw(port, env, big),
      (err: { responseCode?: number }) => err.responseCode === 552,
    );
    assert.equal((await listTickets(store.db, {})).total, 0);
  }, 10_000);
});

Deno.test("smtp: the same Message-ID delivered twice makes one message", async () => {
  await withSmtp(async ({ store, port }) => {
    const raw = rawMail({ Subject: "dup", "Message-ID": "<dup@example.com>" }, "once");
    assert.match(await sendRaw(port, env, raw), /^250/);
    assert.match(await sendRaw(port, env, raw), /^250 .*duplicate/i);
    const { tickets } = await listTickets(store.db, {});
    assert.equal(tickets.length, 1);
    assert.equal((await listMessages(store.db, tickets[0].id)).length, 1);
  });
});

Deno.test("smtp: a customer's reply by In-Reply-To joins its ticket and reopens it", async () => {
  await withSmtp(async ({ store, port }) => {
    await sendRaw(port, env, rawMail({ Subject: "質問", "Message-ID": "<q1@example.com>" }, "1"));
    const ticket = (await findTicketByNumber(store.db, 1001))!;
    await run(
      testRuntime(store),
      (ctx) => changeStatus(ctx, { ticketId: ticket.id, status: "resolved" }),
    );
    await sendRaw(
      port,
      env,
      rawMail({
        Subject: "追加の質問",
        "Message-ID": "<q2@example.com>",
        "In-Reply-To": "<q1@example.com>",
      }, "2"),
    );
    const after = (await findTicketByNumber(store.db, 1001))!;
    assert.equal(after.status, "new");
    assert.equal((await listMessages(store.db, ticket.id)).length, 2);
    assert.equal((await listTickets(store.db, {})).total, 1);
  });
});

Deno.test("smtp: a new subject from the same address is a new ticket", async () => {
  await withSmtp(async ({ store, port }) => {
    await sendRaw(port, env, rawMail({ Subject: "件名A", "Message-ID": "<a@example.com>" }, "a"));
    await sendRaw(port, env, rawMail({ Subject: "件名B", "Message-ID": "<b@example.com>" }, "b"));
    assert.equal((await listTickets(store.db, {})).total, 2);
  });
});

Deno.test("smtp: an out-of-office reply joins but does not reopen a resolved ticket", async () => {
  await withSmtp(async ({ store, port }) => {
    await sendRaw(port, env, rawMail({ Subject: "質問", "Message-ID": "<r1@example.com>" }, "1"));
    const ticket = (await findTicketByNumber(store.db, 1001))!;
    await run(
      testRuntime(store),
      (ctx) => changeStatus(ctx, { ticketId: ticket.id, status: "resolved" }),
    );
    await sendRaw(
      port,
      env,
      rawMail({
        Subject: "Auto: 不在",
        "Message-ID": "<r2@example.com>",
        "In-Reply-To": "<r1@example.com>",
        "Auto-Submitted": "auto-replied",
      }, "不在です"),
    );
    assert.equal((await findTicketByNumber(store.db, 1001))!.status, "resolved");
  });
});

Deno.test("ingest: a message the parser rejects is kept raw in quarantine, not lost", async () => {
  const { store, cleanup } = await tempStore();
  try {
    const raw = new TextEncoder().encode("garbage that cannot be parsed");
    const result = await receiveMail(testRuntime(store), raw, {
      mailFrom: "x@example.com",
      rcptTo: ["support@example.test"],
      remoteAddress: "127.0.0.1",
    }, { parse: () => Promise.reject(new Error("boom")) });
    assert.equal(result.kind, "quarantined");
    const [entry] = await listQuarantine(store.db);
    assert.match(entry.reason, /boom/);
    assert.equal(entry.size, raw.byteLength);
  } finally {
    await cleanup();
  }
});

Deno.test("ingest: re-processing a quarantined mail twice at once files it once", async () => {
  const { store, cleanup } = await tempStore();
  try {
    const raw = new TextEncoder().encode(
      rawMail(
        { From: "taro@example.com", Subject: "再処理", "Message-ID": "<rq@example.com>" },
        "x",
      ),
    );
    const envelope = {
      mailFrom: "taro@example.com",
      rcptTo: ["support@example.test"],
      remoteAddress: null,
    };
    await receiveMail(testRuntime(store), raw, envelope, {
      parse: () => Promise.reject(new Error("parser bug")),
    });
    const [entry] = await listQuarantine(store.db);
    const results = await Promise.allSettled([
      reprocess(store, entry.id),
      reprocess(store, entry.id),
    ]);
    assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
    assert.equal((await listTickets(store.db, {})).total, 1);
    assert.deepEqual(await listQuarantine(store.db), []);
  } finally {
    await cleanup();
  }
});

Deno.test("ingest: re-processing a mail that arrived again meanwhile does not duplicate it", async () => {
  const { store, cleanup } = await tempStore();
  try {
    const raw = new TextEncoder().encode(
      rawMail(
        { From: "taro@example.com", Subject: "再送", "Message-ID": "<again@example.com>" },
        "x",
      ),
    );
    const envelope = {
      mailFrom: "taro@example.com",
      rcptTo: ["support@example.test"],
      remoteAddress: null,
    };
    await receiveMail(testRuntime(store), raw, envelope, {
      parse: () => Promise.reject(new Error("parser bug")),
    });
    await receiveMail(testRuntime(store), raw, envelope); // the sender retried
    const [entry] = await listQuarantine(store.db);
    const result = await reprocess(store, entry.id);
    assert.equal(result.kind, "duplicate");
    assert.equal((await listTickets(store.db, {})).total, 1);
  } finally {
    await cleanup();
  }
});

Deno.test("smtp: a reused Message-ID from another sender is filed, and each duplicate refusal leaves an event", async () => {
  await withSmtp(async ({ store, port }) => {
    const first = rawMail(
      { From: "taro@example.com", Subject: "一通目", "Message-ID": "12345" },
      "a",
    );
    const other = rawMail(
      { From: "jiro@example.org", Subject: "別人", "Message-ID": "12345" },
      "b",
    );
    assert.match(await sendRaw(port, env, first), /^250 .*#1001/);
    assert.match(
      await sendRaw(port, { from: "jiro@example.org", to: env.to }, other),
      /^250 .*#1002/,
    );
    // The very same bytes again: a retried delivery.
    assert.match(await sendRaw(port, env, first), /^250 .*duplicate/i);
    // Same sender, well-formed id, different bytes (a relayed copy): still a duplicate.
    const relayed = (id: string) =>
      rawMail({ From: "taro@example.com", Subject: "x", "Message-ID": id, "X-Relay": "2" }, "a");
    await sendRaw(
      port,
      env,
      rawMail({ From: "taro@example.com", Subject: "x", "Message-ID": "<r@example.com>" }, "a"),
    );
    assert.match(await sendRaw(port, env, relayed("<r@example.com>")), /^250 .*duplicate/i);
    assert.equal((await listTickets(store.db, {})).total, 3);
    const events = await store.db.selectFrom("events").select(["kind", "data_json", "ticket_id"])
      .where("kind", "=", "mail.duplicate").orderBy("id").execute();
    assert.deepEqual(
      events.map((
        e,
      ) => [e.ticket_id, JSON.parse(e.data_json).reason, JSON.parse(e.data_json).messageId]),
      [[1, "same-content", "12345"], [3, "same-sender", "r@example.com"]],
    );
  });
});
