/** After-hours auto-replies go to the envelope sender, and only when From names the same address. */
import assert from "node:assert/strict";
import { saveAfterHoursPolicy } from "../../db/after_hours.ts";
import { findTicketByNumber } from "../../db/tickets.ts";
import { autoReplyRefusal, DEFAULT_AFTER_HOURS_POLICY } from "../../domain/after_hours.ts";
import { rawMail } from "../helpers.ts";
import { at, startDesk } from "../automation_helpers.ts";

const SATURDAY_NIGHT = at("2026-03-07T22:00+09:00");

Deno.test("after-hours: a From that differs from the envelope sender gets no auto-reply (no backscatter)", () => {
  const base = {
    autoKind: "none" as const,
    ourDomains: ["example.test"],
    lastRepliedAt: null,
    now: SATURDAY_NIGHT,
  };
  assert.match(
    autoReplyRefusal({ ...base, sender: "victim@example.com", envelopeFrom: "spam@evil.example" })!,
    /envelope sender differs/,
  );
  assert.equal(
    autoReplyRefusal({ ...base, sender: "taro@example.com", envelopeFrom: "Taro@Example.COM" }),
    null,
  );
});

Deno.test("after-hours: over SMTP a forged From is filed but not answered; a matching one is answered at the envelope sender", async () => {
  const desk = await startDesk(SATURDAY_NIGHT);
  try {
    await desk.store.writeTx((tx) =>
      saveAfterHoursPolicy(tx, desk.departmentId, {
        ...DEFAULT_AFTER_HOURS_POLICY,
        autoReply: true,
      }, 0)
    );
    const forged = rawMail({
      From: "被害者 <victim@example.com>",
      To: "support@example.test",
      Subject: "偽装",
      "Message-ID": "<forged-1@evil.example>",
    }, "本文");
    assert.match(await desk.send("spam@evil.example", forged), /^250 .*#1001/);
    assert.ok(await findTicketByNumber(desk.store.db, 1001), "the mail is still filed");
    await desk.delivered();
    assert.equal(desk.sink.messages.length, 0);
    assert.equal(
      (await desk.store.db.selectFrom("outbox").select("id").execute()).length,
      0,
    );

    const genuine = rawMail({
      From: "山田太郎 <taro@example.com>",
      To: "support@example.test",
      Subject: "本物",
      "Message-ID": "<genuine-1@example.com>",
    }, "本文");
    await desk.send("Taro@example.com", genuine);
    const mail = await desk.sink.next();
    assert.deepEqual(mail.to, ["Taro@example.com"]);
  } finally {
    await desk.stop();
  }
});
