/** 迷惑メール end to end: SMTP with injected DNS verdicts → spam folder → "not spam" → allowed. */
import assert from "node:assert/strict";
import { saveAfterHoursPolicy } from "../../db/after_hours.ts";
import { findTicketByNumber } from "../../db/tickets.ts";
import { countByStatus } from "../../db/ticket_list.ts";
import { listSpamRules } from "../../db/spam_rules.ts";
import { DEFAULT_AFTER_HOURS_POLICY } from "../../domain/after_hours.ts";
import { createAuthenticator, type DnsResolve } from "../../mail/mail_auth.ts";
import { markNotSpam, markSpam } from "../../services/spam.ts";
import { agent, run } from "../runtime.ts";
import { rawMail } from "../helpers.ts";
import { at, startDesk } from "../automation_helpers.ts";

const SATURDAY_NIGHT = at("2026-03-07T22:00+09:00");

/** example.com sends from nowhere and rejects forgeries; example.org sends from 127.0.0.1. */
const ZONE: Record<string, string> = {
  "example.com": "v=spf1 -all",
  "_dmarc.example.com": "v=DMARC1; p=reject",
  "example.org": "v=spf1 ip4:127.0.0.1 -all",
  "_dmarc.example.org": "v=DMARC1; p=reject",
};
const resolve: DnsResolve = (name, rrtype) =>
  rrtype === "TXT" && ZONE[name]
    ? Promise.resolve([[ZONE[name]]])
    : Promise.reject(Object.assign(new Error("ENOTFOUND"), { code: "ENOTFOUND" }));

function mail(from: string, id: string) {
  return rawMail({
    From: from,
    To: "support@example.test",
    Subject: "ご確認",
    "Message-ID": `<${id}>`,
  }, "本文");
}

async function events(desk: Awaited<ReturnType<typeof startDesk>>, kind: string) {
  const rows = await desk.store.db.selectFrom("events").select("data_json").where("kind", "=", kind)
    .orderBy("id").execute();
  return rows.map((r) => JSON.parse(r.data_json));
}

Deno.test("spam: a forged From is filed in 迷惑メール without an auto-reply; 迷惑メールではない moves it back and allows the sender", async () => {
  const desk = await startDesk(SATURDAY_NIGHT, {}, {
    authenticate: createAuthenticator(resolve, { mta: "example.test" }),
  });
  try {
    await desk.store.writeTx((tx) =>
      saveAfterHoursPolicy(tx, desk.departmentId, {
        ...DEFAULT_AFTER_HOURS_POLICY,
        autoReply: true,
      }, 0)
    );
    assert.match(await desk.send("taro@example.com", mail("taro@example.com", "s-1@x")), /^250 /);
    const ticket = (await findTicketByNumber(desk.store.db, 1001))!;
    assert.equal(ticket.status, "spam", "filed, in the spam folder");
    const counts = await countByStatus(desk.store.db);
    assert.equal(counts.new, 0, "spam is not 未対応");
    assert.equal(counts.spam, 1);
    const created = await events(desk, "mail.created");
    assert.equal(created[0].auth.dmarc, "fail");
    assert.equal(created[0].spam.filed, true);
    assert.ok(created[0].spam.reasons.includes("dmarc=fail"));

    // A genuine sender (SPF pass, aligned) is filed as new and answered.
    await desk.send("hanako@example.org", mail("hanako@example.org", "g-1@x"));
    assert.equal((await findTicketByNumber(desk.store.db, 1002))!.status, "new");
    await desk.delivered();
    assert.deepEqual(desk.sink.messages.map((m) => m.to), [["hanako@example.org"]]);

    await run(desk.rt, (ctx) => markNotSpam(ctx, { ticketId: ticket.id }), {
      actor: agent({ id: 1 }),
    });
    assert.equal((await findTicketByNumber(desk.store.db, 1001))!.status, "new");
    assert.deepEqual(
      (await listSpamRules(desk.store.db)).map((r) => [r.kind, r.pattern]),
      [["allow", "taro@example.com"]],
    );

    // The allowed sender's next mail is filed as new, but DMARC still fails: no auto-reply.
    await desk.send("taro@example.com", mail("taro@example.com", "s-2@x"));
    assert.equal((await findTicketByNumber(desk.store.db, 1003))!.status, "new");
    await desk.delivered();
    assert.equal(desk.sink.messages.length, 1);
    assert.deepEqual((await events(desk, "after_hours.skipped")).map((e) => e.reason), [
      "dmarc_fail",
    ]);

    // 迷惑メールにする: back to spam, the sender denied instead of allowed.
    await run(desk.rt, (ctx) => markSpam(ctx, { ticketId: ticket.id }), {
      actor: agent({ id: 1 }),
    });
    assert.equal((await findTicketByNumber(desk.store.db, 1001))!.status, "spam");
    assert.deepEqual(
      (await listSpamRules(desk.store.db)).map((r) => [r.kind, r.pattern]),
      [["deny", "taro@example.com"]],
    );
  } finally {
    await desk.stop();
  }
});

Deno.test("spam: more mail on a spam ticket stays in the spam folder and notifies nobody", async () => {
  const desk = await startDesk(SATURDAY_NIGHT, {}, {
    authenticate: createAuthenticator(resolve, { mta: "example.test" }),
  });
  try {
    await desk.send("taro@example.com", mail("taro@example.com", "s-1@x"));
    await desk.send(
      "taro@example.com",
      rawMail({
        From: "taro@example.com",
        To: "support@example.test",
        Subject: "Re: ご確認 [#1001]",
        "Message-ID": "<s-2@x>",
        "In-Reply-To": "<s-1@x>",
      }, "続き"),
    );
    const ticket = (await findTicketByNumber(desk.store.db, 1001))!;
    assert.equal(ticket.status, "spam");
    assert.equal(ticket.messageCount, 2, "the reply joined the spam ticket");
    const notices = await desk.store.db.selectFrom("notifications").select("id").execute();
    assert.equal(notices.length, 0);
  } finally {
    await desk.stop();
  }
});
