import assert from "node:assert/strict";
import {
  afterDays,
  businessDayMinutes,
  DEFAULT_REMINDER_POLICY,
  DEFAULT_REMINDER_TEMPLATES,
  nextReminderStep,
  ReminderForm,
  type ReminderPolicy,
  statusAfterFinalAction,
} from "../../domain/reminder_policy.ts";
import { checkInput } from "../../domain/validation.ts";
import { translator } from "../../domain/i18n/mod.ts";
import { followUpInputs, followUpInstant, statusAfterFollowUp } from "../../domain/follow_up.ts";
import type { Schedule } from "../../domain/schedule.ts";

/** Epoch ms of an ISO instant with offset, e.g. "2026-03-06T15:00+09:00". */
function ms(instant: string): number {
  return Temporal.Instant.from(instant).epochMilliseconds;
}

/** An instant as Tokyo wall time, so failures read like the case. */
function tokyo(epochMs: number): string {
  return Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO("Asia/Tokyo")
    .toString({ smallestUnit: "minute", timeZoneName: "never", offset: "never" });
}

const nineToSix = [{ start: "09:00", end: "18:00" }];
const weekdays: Schedule = {
  timeZone: "Asia/Tokyo",
  weekly: { 1: nineToSix, 2: nineToSix, 3: nineToSix, 4: nineToSix, 5: nineToSix },
  holidays: [{ kind: "date", date: "2026-03-20", name: "春分の日" }],
};

function policy(p: Partial<ReminderPolicy>): ReminderPolicy {
  return { ...DEFAULT_REMINDER_POLICY, enabled: true, ...p };
}

Deno.test("reminders: a department that has not switched them on never reminds or closes", () => {
  assert.equal(nextReminderStep(DEFAULT_REMINDER_POLICY, 0), null);
});

Deno.test("reminders: 'once, then close after M days' reminds once and then closes", () => {
  const p = policy({ afterDays: 3, maxReminders: 1, finalAfterDays: 7, finalAction: "close" });
  assert.deepEqual(nextReminderStep(p, 0), { kind: "remind", number: 1, afterDays: 3 });
  assert.deepEqual(nextReminderStep(p, 1), { kind: "final", action: "close", afterDays: 7 });
  assert.equal(statusAfterFinalAction("close"), "resolved");
});

Deno.test("reminders: 'every N days up to K times' sends exactly K reminders", () => {
  const p = policy({ afterDays: 2, maxReminders: 3, finalAction: "reopen", finalAfterDays: 5 });
  const steps = [0, 1, 2, 3].map((sent) => nextReminderStep(p, sent));
  assert.deepEqual(steps.map((s) => s?.kind), ["remind", "remind", "remind", "final"]);
  assert.deepEqual(steps.slice(0, 3).map((s) => s?.afterDays), [2, 2, 2]);
  assert.deepEqual(steps[3], { kind: "final", action: "reopen", afterDays: 5 });
  assert.equal(statusAfterFinalAction("reopen"), "new");
});

Deno.test("reminders: with no final action the series just ends after the K-th reminder", () => {
  const p = policy({ maxReminders: 2, finalAction: "none" });
  assert.equal(nextReminderStep(p, 1)?.kind, "remind");
  assert.equal(nextReminderStep(p, 2), null);
});

Deno.test("reminders: K = 0 sends no reminder and auto-closes M days after the wait began", () => {
  const p = policy({ maxReminders: 0, finalAfterDays: 10, finalAction: "close" });
  assert.deepEqual(nextReminderStep(p, 0), { kind: "final", action: "close", afterDays: 10 });
});

Deno.test("reminders: a business day of a Mon–Fri 9–18 schedule is 540 business minutes", () => {
  assert.equal(businessDayMinutes(weekdays), 540);
  const lunch = [{ start: "09:00", end: "12:00" }, { start: "13:00", end: "18:00" }];
  assert.equal(businessDayMinutes({ ...weekdays, weekly: { 1: lunch, 2: lunch } }), 480);
  const night = [{ start: "22:00", end: "06:00" }];
  assert.equal(businessDayMinutes({ ...weekdays, weekly: { 3: night } }), 480);
  assert.equal(businessDayMinutes({ ...weekdays, weekly: {} }), null);
});

Deno.test("reminders: business days count open days at the same time of day", () => {
  const cases: Array<[string, number, string]> = [
    // A reply on Friday 15:00 waiting 1 business day is reminded on Monday 15:00, not Saturday.
    ["2026-03-06T15:00+09:00", 1, "2026-03-09T15:00"],
    // Wednesday 10:00 + 3 business days: Thu, Fri, Mon.
    ["2026-03-04T10:00+09:00", 3, "2026-03-09T10:00"],
    // Thursday 11:00 + 1 business day skips the Friday holiday (春分の日) and the weekend.
    ["2026-03-19T11:00+09:00", 1, "2026-03-23T11:00"],
    // Set waiting on Saturday: a full business day must pass, Monday's.
    ["2026-03-07T10:00+09:00", 1, "2026-03-09T18:00"],
  ];
  for (const [from, days, expected] of cases) {
    assert.equal(tokyo(afterDays(weekdays, ms(from), days)), expected, `${from} + ${days}`);
  }
});

Deno.test("reminders: without a schedule (open around the clock) days are calendar days", () => {
  const from = ms("2026-03-06T15:00+09:00");
  assert.equal(tokyo(afterDays(null, from, 3)), "2026-03-09T15:00");
  assert.equal(afterDays({ ...weekdays, weekly: {} }, from, 1), from + 86_400_000);
});

Deno.test("reminders: a settings form with 0 days or 50 reminders is refused", () => {
  const form = {
    enabled: "on",
    after_days: "3",
    max_reminders: "2",
    final_after_days: "7",
    final_action: "close",
  };
  const ok = checkInput(ReminderForm, form);
  assert.deepEqual(ok.ok && ok.value, {
    enabled: true,
    afterDays: 3,
    maxReminders: 2,
    finalAfterDays: 7,
    finalAction: "close",
    templates: {},
  });
  const bad = checkInput(ReminderForm, {
    ...form,
    after_days: "0",
    max_reminders: "50",
    final_after_days: "1.5",
    final_action: "explode",
  }, translator("ja"));
  assert.deepEqual(bad.ok ? {} : bad.fields, {
    after_days: "範囲外の値です",
    max_reminders: "範囲外の値です",
    final_after_days: "範囲外の値です",
    final_action: "一覧から選択してください",
  });
});

Deno.test("reminders: template fields refuse unknown placeholders and line breaks in the subject; the default saves no override", () => {
  const form = { after_days: "3", max_reminders: "1", final_after_days: "7", final_action: "none" };
  const bad = checkInput(ReminderForm, {
    ...form,
    "tpl.ja.subject": "件名\r\nBcc: x@example.org",
    "tpl.en.body": "Hi {{nmae}} and {{days}}",
  }, translator("en"));
  assert.deepEqual(bad.ok ? {} : bad.fields, {
    "tpl.ja.subject": "Line breaks and control characters are not allowed here",
    "tpl.en.body": "Unknown placeholders: {{nmae}}",
  });
  const defaults = checkInput(ReminderForm, {
    ...form,
    "tpl.ja.subject": "ご確認のお願い: {{subject}}",
    "tpl.ja.body": DEFAULT_REMINDER_TEMPLATES.ja.body.replaceAll("\n", "\r\n"),
    "tpl.en.subject": "Please reply: {{subject}}",
  });
  assert.deepEqual(defaults.ok && defaults.value.templates, {
    en: { subject: "Please reply: {{subject}}", body: DEFAULT_REMINDER_TEMPLATES.en.body },
  });
});

Deno.test("follow-up: a date and time in the agent's zone becomes the right UTC instant", () => {
  assert.equal(
    followUpInstant("2026-03-10", "10:00", "Asia/Tokyo"),
    ms("2026-03-10T01:00Z"),
  );
  // 02:30 does not exist in New York on 2026-03-08: it moves forward by the gap, to 03:30 EDT.
  assert.equal(
    followUpInstant("2026-03-08", "02:30", "America/New_York"),
    ms("2026-03-08T07:30Z"),
  );
  assert.deepEqual(followUpInputs(ms("2026-03-10T01:00Z"), "Asia/Tokyo"), {
    date: "2026-03-10",
    time: "10:00",
  });
});

Deno.test("follow-up: an impossible date or time is refused, not guessed", () => {
  for (const [date, time] of [["2026-02-30", "10:00"], ["2026-03-10", "25:00"], ["", "10:00"]]) {
    assert.equal(followUpInstant(date, time, "Asia/Tokyo"), null, `${date} ${time}`);
  }
});

Deno.test("follow-up: when due, a waiting or closed ticket is back in 未対応; one in progress stays", () => {
  assert.equal(statusAfterFollowUp("pending"), "new");
  assert.equal(statusAfterFollowUp("resolved"), "new");
  assert.equal(statusAfterFollowUp("no_action"), "new");
  assert.equal(statusAfterFollowUp("new"), "new");
  assert.equal(statusAfterFollowUp("open"), "open");
});
