/**
 * Reminders and auto-close while a ticket waits on the customer (保留). Pure: the clock is an
 * argument. A wait starts when the ticket enters 保留 (or an agent replies again while it is):
 *
 *   wait N days → reminder 1 → N days → reminder 2 … up to K reminders → M days → final action
 *
 * where the final action returns the ticket to 未対応 ("reopen"), closes it as 対応完了 ("close")
 * or does nothing. A customer's reply or any status change ends the wait. Days are business days
 * of the department's schedule when it has one (see `businessDayMinutes`), calendar days
 * otherwise. Each step is counted from when the previous one actually happened, so a reminder
 * delayed by downtime does not make the next one follow it at once.
 *
 * @module
 */
import { addBusinessMinutes } from "./business_time.ts";
import { compileSchedule, type Schedule } from "./schedule.ts";
import type { Lang } from "./inquiry_form.ts";
import type { MailTemplate } from "./mail_template.ts";
import { type LangTemplates, templateEntries, templateOverrides } from "./lang_templates.ts";
import { checkbox, localized, oneOf, v, wholeNumber } from "./validation.ts";
import type { TicketStatus } from "./ticket_status.ts";

export type FinalAction = "none" | "reopen" | "close";
export const FINAL_ACTIONS: FinalAction[] = ["none", "reopen", "close"];

export interface ReminderPolicy {
  enabled: boolean;
  /** Days waiting on the customer before each reminder (N), at least 1. */
  afterDays: number;
  /** Reminders per wait at most (K); 0 sends none and goes straight to the final action. */
  maxReminders: number;
  /** Days after the last reminder (or the start of the wait, when K = 0) before the final action. */
  finalAfterDays: number;
  finalAction: FinalAction;
  /** Per-language overrides of the reminder mail; a missing language uses the default. */
  templates: LangTemplates;
}

export const DEFAULT_REMINDER_POLICY: ReminderPolicy = {
  enabled: false,
  afterDays: 3,
  maxReminders: 1,
  finalAfterDays: 7,
  finalAction: "close",
  templates: {},
};

/** Upper bounds that keep a typo from arming a timer decades away or sending fifty mails. */
export const LIMITS = { days: 365, reminders: 10 } as const;

/** What a reminder mail may mention. */
export const REMINDER_PLACEHOLDERS = ["number", "name", "subject", "count", "days"] as const;

export const DEFAULT_REMINDER_TEMPLATES: Record<Lang, MailTemplate> = {
  ja: {
    subject: "ご確認のお願い: {{subject}}",
    body: `{{name}} 様

お問い合わせ(受付番号 {{number}})について、ご返信をお待ちしております。
前回のご連絡内容をご確認のうえ、このメールにご返信ください。

すでに解決済みの場合は、このメールは破棄していただいて構いません。
`,
  },
  en: {
    subject: "Waiting for your reply: {{subject}}",
    body: `Dear {{name}},

We are waiting for your reply about your inquiry {{number}}.
Please check our previous message and reply to this mail.

If the matter is already settled, you can ignore this message.
`,
  },
};

/** The next step of a wait after `sent` reminders, or null when nothing more happens. */
export type ReminderStep =
  | { kind: "remind"; number: number; afterDays: number }
  | { kind: "final"; action: Exclude<FinalAction, "none">; afterDays: number }
  | null;

/** What happens next in a wait in which `sent` reminders went out so far. */
export function nextReminderStep(policy: ReminderPolicy, sent: number): ReminderStep {
  if (!policy.enabled) return null;
  if (sent < policy.maxReminders) {
    return { kind: "remind", number: sent + 1, afterDays: policy.afterDays };
  }
  if (policy.finalAction === "none") return null;
  return { kind: "final", action: policy.finalAction, afterDays: policy.finalAfterDays };
}

/** The status a waiting ticket moves to when the final action fires. */
export function statusAfterFinalAction(action: Exclude<FinalAction, "none">): TicketStatus {
  return action === "reopen" ? "new" : "resolved";
}

/**
 * How many business minutes make one business day of a schedule: its open minutes per week over
 * the weekdays that open at all (Mon–Fri 09:00–18:00 → 540). For a schedule with the same hours
 * every open day, N business days later is the same time of day N open days later. Null when the
 * schedule never opens.
 */
export function businessDayMinutes(schedule: Schedule): number | null {
  const compiled = compileSchedule(schedule);
  const openDays = compiled.weekly.filter((day) => day.length > 0);
  if (openDays.length === 0) return null;
  const minutes = openDays.flat().reduce((sum, i) => sum + (i.end - i.start), 0);
  return minutes / openDays.length;
}

const DAY_MS = 86_400_000;

/**
 * The instant `days` days after `fromMs`: business days of the schedule, or calendar days (24 h)
 * without one or when the schedule never opens (a reminder must not wait forever).
 */
export function afterDays(schedule: Schedule | null, fromMs: number, days: number): number {
  if (schedule) {
    const perDay = businessDayMinutes(schedule);
    const at = perDay === null ? null : addBusinessMinutes(schedule, fromMs, days * perDay);
    if (at !== null) return at;
  }
  return fromMs + days * DAY_MS;
}

/** When the step is due, counted from when the previous one happened. */
export function stepDueAt(
  schedule: Schedule | null,
  step: NonNullable<ReminderStep>,
  previousMs: number,
): number {
  return afterDays(schedule, previousMs, step.afterDays);
}

const RANGE = localized("reminders.range", undefined, "is out of range");

/**
 * An admin's reminder settings form: the numbers within LIMITS, a known final action and
 * templates that use only the reminder's placeholders; it comes out as the policy to save.
 */
export const ReminderForm = v.pipe(
  v.object({
    enabled: checkbox(),
    after_days: wholeNumber({ min: 1, max: LIMITS.days, required: true, message: RANGE }),
    max_reminders: wholeNumber({
      min: 0,
      max: LIMITS.reminders,
      required: true,
      message: RANGE,
    }),
    final_after_days: wholeNumber({ min: 1, max: LIMITS.days, required: true, message: RANGE }),
    final_action: oneOf(FINAL_ACTIONS, { required: true }),
    ...templateEntries(REMINDER_PLACEHOLDERS),
  }),
  v.transform((f): ReminderPolicy => ({
    enabled: f.enabled,
    afterDays: f.after_days,
    maxReminders: f.max_reminders,
    finalAfterDays: f.final_after_days,
    finalAction: f.final_action,
    templates: templateOverrides(f, DEFAULT_REMINDER_TEMPLATES),
  })),
);
