import assert from "node:assert/strict";
import {
  afterHoursForm,
  AUTO_REPLY_PERIOD_MS,
  type AutoReplyCandidate,
  autoReplyRefusal,
  formatOpening,
} from "../../domain/after_hours.ts";
import { guessLang } from "../../domain/lang_templates.ts";
import { checkInput } from "../../domain/validation.ts";
import { translator } from "../../domain/i18n/mod.ts";

const NOW = Date.UTC(2026, 2, 7, 13, 0); // Saturday 22:00 in Tokyo

function candidate(c: Partial<AutoReplyCandidate>): AutoReplyCandidate {
  return {
    autoKind: "none",
    sender: "taro@example.com",
    envelopeFrom: "taro@example.com",
    ourDomains: ["example.test"],
    lastRepliedAt: null,
    now: NOW,
    ...c,
  };
}

Deno.test("after-hours: a person writing in for the first time tonight gets an auto-reply", () => {
  assert.equal(autoReplyRefusal(candidate({})), null);
});

Deno.test("after-hours: machine mail never gets one (RFC 3834)", () => {
  for (const autoKind of ["auto-reply", "bounce", "bulk"] as const) {
    assert.match(autoReplyRefusal(candidate({ autoKind }))!, /machine mail/);
  }
  assert.match(autoReplyRefusal(candidate({ envelopeFrom: null }))!, /null envelope/);
  assert.match(autoReplyRefusal(candidate({ envelopeFrom: "" }))!, /null envelope/);
  assert.match(autoReplyRefusal(candidate({ sender: "no-reply@shop.example" }))!, /machine/);
  assert.match(autoReplyRefusal(candidate({ sender: "MAILER-DAEMON@mx.example" }))!, /machine/);
});

Deno.test("after-hours: we never answer our own domains", () => {
  assert.match(autoReplyRefusal(candidate({ sender: "sato@example.test" }))!, /own domain/);
  assert.match(
    autoReplyRefusal(candidate({ envelopeFrom: "bounce@EXAMPLE.TEST" }))!,
    /own domain/,
  );
});

Deno.test("after-hours: one auto-reply per sender per 24 hours", () => {
  const earlier = NOW - 2 * 3_600_000;
  assert.match(autoReplyRefusal(candidate({ lastRepliedAt: earlier }))!, /already answered/);
  const yesterday = NOW - AUTO_REPLY_PERIOD_MS;
  assert.equal(autoReplyRefusal(candidate({ lastRepliedAt: yesterday })), null);
});

Deno.test("after-hours: the next opening is written in the schedule's zone and language", () => {
  const monday9 = Date.UTC(2026, 2, 9, 0, 0); // Monday 09:00 in Tokyo
  assert.equal(formatOpening(monday9, "Asia/Tokyo", "ja"), "2026年3月9日(月) 9:00");
  assert.match(formatOpening(monday9, "Asia/Tokyo", "en"), /^Mon, Mar 9, 2026, 9:00\sAM GMT\+9$/);
  assert.equal(formatOpening(null, "Asia/Tokyo", "ja"), "次の営業日");
});

Deno.test("after-hours: the reply is in Japanese when the customer wrote Japanese", () => {
  assert.equal(guessLang("請求書の再発行について"), "ja");
  assert.equal(guessLang("カタカナ"), "ja");
  assert.equal(guessLang("Invoice question"), "en");
});

Deno.test("after-hours form: the on-duty department must be one of the others; none keeps the mail", () => {
  const form = afterHoursForm([2, 3]);
  assert.deepEqual(checkInput(form, { auto_reply: "on", on_duty: "" }), {
    ok: true,
    value: { autoReply: true, onDutyDepartmentId: null, templates: {} },
  });
  assert.deepEqual(checkInput(form, { on_duty: "3" }), {
    ok: true,
    value: { autoReply: false, onDutyDepartmentId: 3, templates: {} },
  });
  for (const on_duty of ["1", "9", "2.0", "x"]) {
    assert.deepEqual(checkInput(form, { on_duty }, translator("ja")), {
      ok: false,
      fields: { on_duty: "部署を選び直してください" },
    }, on_duty);
  }
});
