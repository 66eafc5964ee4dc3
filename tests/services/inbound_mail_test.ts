/** Filing mail: what follows filing can fail without losing the mail; a busy database is a 451. */
import assert from "node:assert/strict";
import { sql } from "kysely";
import { saveAfterHoursPolicy } from "../../db/after_hours.ts";
import { findTicketByNumber } from "../../db/tickets.ts";
import { listQuarantine } from "../../db/raw_messages.ts";
import { DEFAULT_AFTER_HOURS_POLICY } from "../../domain/after_hours.ts";
import { startInboundSmtp } from "../../mail/smtp_server.ts";
import type { Store } from "../../db/client.ts";
import { receiveMail } from "../../services/inbound_mail.ts";
import { at, startDesk } from "../automation_helpers.ts";
import { rawMail, sendRaw, tempStore } from "../helpers.ts";
import { deliverTo, testRuntime } from "../runtime.ts";

const SATURDAY_NIGHT = at("2026-03-07T22:00+09:00");

Deno.test("filing: a failing after-hours reply is undone alone; the mail is filed and the failure recorded", async () => {
  const desk = await startDesk(SATURDAY_NIGHT);
  try {
    await desk.store.writeTx(async (tx) => {
      await saveAfterHoursPolicy(tx, desk.departmentId, {
        ...DEFAULT_AFTER_HOURS_POLICY,
        autoReply: true,
      }, 0);
      // The reply is queued, then logging it fails: the savepoint must take the queued mail back.
      await sql`create trigger fail_auto_reply_log before insert on auto_reply_log
        begin select raise(abort, 'the log cannot be written'); end`.execute(tx);
    });
    const answer = await desk.send(
      "taro@example.com",
      rawMail({
        From: "taro@example.com",
        To: "support@example.test",
        Subject: "夜間の問い合わせ",
        "Message-ID": "<night-1@example.com>",
      }, "至急お願いします"),
    );
    assert.match(answer, /^250 .*#1001/, "filed, not quarantined");
    const ticket = (await findTicketByNumber(desk.store.db, 1001))!;
    assert.equal(ticket.messageCount, 1);
    assert.deepEqual(await listQuarantine(desk.store.db), []);
    const outbox = await desk.store.db.selectFrom("outbox").select("id").execute();
    assert.equal(outbox.length, 0, "the half-written auto-reply was rolled back");
    const events = await desk.store.db.selectFrom("events").select(["kind", "data_json"])
      .where("ticket_id", "=", ticket.id).orderBy("id").execute();
    const failed = events.find((e) => e.kind === "effect.failed");
    assert.ok(failed, `an effect.failed event among ${events.map((e) => e.kind)}`);
    assert.match(failed.data_json, /after_hours/);
    assert.ok(events.some((e) => e.kind === "mail.created"));
  } finally {
    await desk.stop();
  }
});

/**
 * A store whose first write fails as a locked database does; later writes work — so filing
 * that wrongly fell back to quarantine would succeed and answer 250.
 */
function lockedOnce(store: Store): Store {
  let locked = true;
  const writeTx: Store["writeTx"] = (fn) => {
    if (!locked) return store.writeTx(fn);
    locked = false;
    return Promise.reject(Object.assign(new Error("SQLITE_BUSY: database is locked"), {
      code: "SQLITE_BUSY",
    }));
  };
  return { ...store, writeTx };
}

Deno.test("filing: a locked database answers 451 over SMTP and quarantines nothing", async () => {
  const { store, cleanup } = await tempStore();
  const rt = testRuntime(lockedOnce(store));
  const smtp = await startInboundSmtp((raw, envelope) => receiveMail(rt, raw, envelope), {
    host: "127.0.0.1",
    port: 0,
    mailDomains: ["example.test"],
    maxMessageBytes: 1024 * 1024,
    maxConnections: 4,
  });
  try {
    const raw = rawMail({
      From: "taro@example.com",
      To: "support@example.test",
      Subject: "件名",
      "Message-ID": "<busy@example.com>",
    }, "本文");
    await assert.rejects(
      sendRaw(smtp.port, { from: "taro@example.com", to: ["support@example.test"] }, raw),
      (e: Error & { responseCode?: number }) => e.responseCode === 451,
    );
    assert.deepEqual(await listQuarantine(store.db), []);
    const raws = await store.db.selectFrom("raw_messages").select("id").execute();
    assert.equal(raws.length, 0);
    // The sender retries, the database is free again: the mail is filed.
    const retried = await sendRaw(
      smtp.port,
      { from: "taro@example.com", to: ["support@example.test"] },
      raw,
    );
    assert.match(retried, /^250 .*#1001/);
  } finally {
    await smtp.close();
    await cleanup();
  }
});

Deno.test("filing: a failing notice to agents is recorded and the customer's reply still joins", async () => {
  const { store, cleanup } = await tempStore();
  try {
    const deliver = deliverTo(store);
    const env = {
      mailFrom: "taro@example.com",
      rcptTo: ["support@example.test"],
      remoteAddress: null,
    };
    const first = rawMail({
      From: "taro@example.com",
      Subject: "質問",
      "Message-ID": "<n1@example.com>",
    }, "1");
    assert.equal((await deliver(new TextEncoder().encode(first), env)).kind, "created");
    await store.writeTx(async (tx) => {
      await tx.insertInto("agents").values({
        email: "aki@example.test",
        name: "aki",
        password_hash: "x",
        role: "agent",
        created_at: 0,
      }).execute();
      await sql`create trigger fail_notice before insert on notifications
        begin select raise(abort, 'notices are broken'); end`.execute(tx);
    });
    const reply = rawMail({
      From: "taro@example.com",
      Subject: "Re: 質問",
      "Message-ID": "<n2@example.com>",
      "In-Reply-To": "<n1@example.com>",
    }, "2");
    const result = await deliver(new TextEncoder().encode(reply), env);
    assert.equal(result.kind, "joined");
    const ticket = (await findTicketByNumber(store.db, 1001))!;
    assert.equal(ticket.messageCount, 2);
    const failed = await store.db.selectFrom("events").select("data_json")
      .where("kind", "=", "effect.failed").execute();
    assert.equal(failed.length, 1);
    assert.match(failed[0].data_json, /notice/);
  } finally {
    await cleanup();
  }
});
