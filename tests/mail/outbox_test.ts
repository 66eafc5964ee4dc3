/** Agent replies through the durable outbox: composed headers, delivery, retries, no relay. */
import assert from "node:assert/strict";
import { ingestMessage, queueReply } from "../runtime.ts";
import {
  smtpRelayTransport,
  startOutboxWorker,
  type Transport,
} from "../../loops/outbox_worker.ts";
import { listMessages } from "../../db/messages.ts";
import { retryOutboxItem } from "../../db/outbox.ts";
import { findTicketByNumber } from "../../db/tickets.ts";
import { parseMessage } from "../../mail/parse.ts";
import { rawMail, startSmtpSink, tempStore } from "../helpers.ts";
import type { Store } from "../../db/client.ts";

const settings = {
  supportAddress: "support@example.test",
  fromName: "サポート窓口",
  subjectTagPrefix: "#",
  relayConfigured: true,
};
const agent = { id: 1, name: "佐藤" };

async function seedTicket(store: Store) {
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
    From: "山田太郎 <taro@example.com>",
    To: "support@example.test",
    Subject: "請求書の再発行",
    "Message-ID": "<customer-1@example.com>",
    References: "<root@example.com>",
  }, "お願いします");
  await ingestMessage(store, new TextEncoder().encode(raw), {
    mailFrom: "taro@example.com",
    rcptTo: ["support@example.test"],
    remoteAddress: null,
  });
  return (await findTicketByNumber(store.db, 1001))!;
}

Deno.test("outbox: a reply reaches the relay with threading headers and shows as sent", async () => {
  const { store, cleanup } = await tempStore();
  const sink = await startSmtpSink();
  const worker = await startOutboxWorker(store, smtpRelayTransport(sink.url));
  try {
    const ticket = await seedTicket(store);
    await queueReply(store, settings, {
      ticketId: ticket.id,
      agent,
      text: "再発行しました。",
      status: "pending",
    });
    worker.wake();
    const mail = await sink.next();
    assert.deepEqual(mail.to, ["taro@example.com"]);
    assert.equal(mail.from, "support@example.test");
    const parsed = await parseMessage(new TextEncoder().encode(mail.raw));
    assert.equal(parsed.subject, "Re: 請求書の再発行 [#1001]");
    assert.equal(parsed.text.trim(), "再発行しました。");
    assert.match(mail.raw, /^In-Reply-To: <customer-1@example\.com>/m);
    assert.match(mail.raw, /^References: <root@example\.com> <customer-1@example\.com>/m);
    assert.match(
      mail.raw,
      new RegExp(`^Reply-To: support\\+t${ticket.replyToken}@example\\.test`, "m"),
    );
    assert.match(
      mail.raw,
      new RegExp(`^Message-ID: <${ticket.replyToken}\\.[0-9a-f]+@example\\.test>`, "m"),
    );
    await worker.idle();
    const out = (await listMessages(store.db, ticket.id)).find((m) => m.direction === "out")!;
    assert.equal(out.delivery?.status, "sent");
    assert.equal((await findTicketByNumber(store.db, 1001))!.status, "pending");
  } finally {
    await worker.stop();
    await sink.close();
    await cleanup();
  }
});

Deno.test("outbox: with no relay configured a reply is kept as not delivered, never faked", async () => {
  const { store, cleanup } = await tempStore();
  const worker = await startOutboxWorker(store, null);
  try {
    const ticket = await seedTicket(store);
    await queueReply(store, { ...settings, relayConfigured: false }, {
      ticketId: ticket.id,
      agent,
      text: "x",
      status: "pending",
    });
    worker.wake();
    await worker.idle();
    const out = (await listMessages(store.db, ticket.id)).find((m) => m.direction === "out")!;
    assert.equal(out.delivery?.status, "held");
    assert.match(out.delivery?.lastError ?? "", /no relay configured/);
  } finally {
    await worker.stop();
    await cleanup();
  }
});

Deno.test("outbox: a relay that is down leaves the mail queued with a backoff and the error", async () => {
  const { store, cleanup } = await tempStore();
  const failing: Transport = {
    send: () => Promise.reject(Object.assign(new Error("connect ECONNREFUSED"), {})),
    close() {},
  };
  let now = 1_000_000;
  const worker = await startOutboxWorker(store, failing, { now: () => now });
  try {
    const ticket = await seedTicket(store);
    await queueReply(store, settings, {
      ticketId: ticket.id,
      agent,
      text: "x",
      status: "pending",
      now,
    });
    worker.wake();
    await worker.idle();
    let out = (await listMessages(store.db, ticket.id)).find((m) => m.direction === "out")!;
    assert.equal(out.delivery?.status, "queued");
    assert.equal(out.delivery?.attempts, 1);
    assert.equal(out.delivery?.nextAttemptAt, now + 60_000);
    assert.match(out.delivery?.lastError ?? "", /ECONNREFUSED/);
    now += 60_000;
    worker.wake();
    await worker.idle();
    out = (await listMessages(store.db, ticket.id)).find((m) => m.direction === "out")!;
    assert.equal(out.delivery?.attempts, 2);
    assert.equal(out.delivery?.nextAttemptAt, now + 120_000);
  } finally {
    await worker.stop();
    await cleanup();
  }
});

Deno.test("outbox: a permanent 5xx refusal ends as failed at once", async () => {
  const { store, cleanup } = await tempStore();
  const refusing: Transport = {
    send: () =>
      Promise.reject(Object.assign(new Error("550 mailbox unavailable"), { responseCode: 550 })),
    close() {},
  };
  const worker = await startOutboxWorker(store, refusing);
  try {
    const ticket = await seedTicket(store);
    await queueReply(store, settings, { ticketId: ticket.id, agent, text: "x", status: "pending" });
    worker.wake();
    await worker.idle();
    const out = (await listMessages(store.db, ticket.id)).find((m) => m.direction === "out")!;
    assert.equal(out.delivery?.status, "failed");
    assert.equal(out.delivery?.attempts, 1);
  } finally {
    await worker.stop();
    await cleanup();
  }
});

Deno.test("outbox: mail left 'sending' by a crash is sent after restart", async () => {
  const { store, cleanup } = await tempStore();
  const sink = await startSmtpSink();
  try {
    const ticket = await seedTicket(store);
    await queueReply(store, settings, { ticketId: ticket.id, agent, text: "x", status: "pending" });
    await store.writeTx((tx) => tx.updateTable("outbox").set({ status: "sending" }).execute());
    const worker = await startOutboxWorker(store, smtpRelayTransport(sink.url));
    await sink.next();
    await worker.idle();
    await worker.stop();
    const out = (await listMessages(store.db, ticket.id)).find((m) => m.direction === "out")!;
    assert.equal(out.delivery?.status, "sent");
  } finally {
    await sink.close();
    await cleanup();
  }
});

Deno.test("outbox: an unreachable relay is retried for four days, then the mail is failed", async () => {
  const { store, cleanup } = await tempStore();
  const failing: Transport = {
    send: () => Promise.reject(new Error("connect ECONNREFUSED")),
    close() {},
  };
  let now = 1_000_000;
  const worker = await startOutboxWorker(store, failing, { now: () => now });
  try {
    const ticket = await seedTicket(store);
    await queueReply(store, settings, {
      ticketId: ticket.id,
      agent,
      text: "x",
      status: "pending",
      now,
    });
    const start = now;
    let out;
    do {
      worker.wake();
      await worker.idle();
      out = (await listMessages(store.db, ticket.id)).find((m) => m.direction === "out")!;
      now = Math.max(now, out.delivery!.nextAttemptAt);
    } while (out.delivery?.status === "queued" && now - start < 10 * 86_400_000);
    assert.equal(out.delivery?.status, "failed");
    const days = (now - start) / 86_400_000;
    assert.ok(days > 3.9 && days <= 4.1, `gave up after ${days.toFixed(2)} days`);
    assert.ok(out.delivery!.attempts > 90, `only ${out.delivery!.attempts} attempts`);
  } finally {
    await worker.stop();
    await cleanup();
  }
});

Deno.test("outbox: an agent's retry of failed mail starts a fresh series of attempts", async () => {
  const { store, cleanup } = await tempStore();
  const refusing: Transport = {
    send: () => Promise.reject(Object.assign(new Error("550 no"), { responseCode: 550 })),
    close() {},
  };
  const worker = await startOutboxWorker(store, refusing);
  try {
    const ticket = await seedTicket(store);
    const id = await queueReply(store, settings, {
      ticketId: ticket.id,
      agent,
      text: "x",
      status: "pending",
    });
    worker.wake();
    await worker.idle();
    await store.writeTx((tx) => retryOutboxItem(tx, id, Date.now(), false));
    const out = (await listMessages(store.db, ticket.id)).find((m) => m.direction === "out")!;
    assert.equal(out.delivery?.status, "queued");
    assert.equal(out.delivery?.attempts, 0);
  } finally {
    await worker.stop();
    await cleanup();
  }
});

Deno.test("outbox: a stored address that would split into several RCPT TO fails instead of sending", async () => {
  const { store, cleanup } = await tempStore();
  const sink = await startSmtpSink();
  const worker = await startOutboxWorker(store, smtpRelayTransport(sink.url));
  try {
    const ticket = await seedTicket(store);
    // An address stored before parse-time validation existed.
    await store.writeTx((tx) =>
      tx.updateTable("customers").set({ email: "taro@example.com, victim@example.org" })
        .execute()
    );
    await queueReply(store, settings, { ticketId: ticket.id, agent, text: "x", status: "pending" });
    worker.wake();
    await worker.idle();
    // A later, valid mail proves the worker went on (and that the bad one never reached the relay).
    await store.writeTx((tx) =>
      tx.updateTable("customers").set({ email: "taro@example.com" }).execute()
    );
    await queueReply(store, settings, { ticketId: ticket.id, agent, text: "y", status: "pending" });
    worker.wake();
    const mail = await sink.next();
    assert.deepEqual(mail.to, ["taro@example.com"]);
    await worker.idle();
    assert.equal(sink.messages.length, 1);
    const [bad] = (await listMessages(store.db, ticket.id)).filter((m) => m.direction === "out");
    assert.equal(bad.delivery?.status, "failed");
    assert.match(bad.delivery?.lastError ?? "", /invalid recipient/i);
  } finally {
    await worker.stop();
    await sink.close();
    await cleanup();
  }
});
