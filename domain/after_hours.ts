/**
 * After-hours auto-replies: who may get one and what it says. Pure: the clock is an argument.
 *
 * RFC 3834 and what peers learned the hard way (research/anchors.md §2): never answer machine mail
 * (auto-replies, bounces, lists, no-reply senders), never a null envelope sender (§2: "MUST NOT
 * respond" to it), only the envelope sender and only when From names the same address, never
 * ourselves, and at most once per sender and period, so two responders cannot keep each other
 * busy.
 *
 * @module
 */
import { classifyAuto } from "./auto_submitted.ts";
import { translator } from "./i18n/mod.ts";
import { dateTimeFormat } from "./intl_cache.ts";
import type { AutoKind } from "./inbound_message.ts";
import type { Lang } from "./inquiry_form.ts";
import type { MailTemplate } from "./mail_template.ts";
import { type LangTemplates, templateEntries, templateOverrides } from "./lang_templates.ts";
import { checkbox, localized, oneOf, v } from "./validation.ts";

export interface AfterHoursPolicy {
  /** Whether mail arriving while closed gets an auto-reply. */
  autoReply: boolean;
  /** New mail arriving while closed goes to this department; null: it stays. */
  onDutyDepartmentId: number | null;
  /** Per-language overrides of the auto-reply; a missing language uses the default. */
  templates: LangTemplates;
}

export const DEFAULT_AFTER_HOURS_POLICY: AfterHoursPolicy = {
  autoReply: false,
  onDutyDepartmentId: null,
  templates: {},
};

/** One auto-reply per sender and department within this long. */
export const AUTO_REPLY_PERIOD_MS = 24 * 3_600_000;

/** What an after-hours reply may mention. */
export const AFTER_HOURS_PLACEHOLDERS = [
  "number",
  "tag",
  "name",
  "subject",
  "department",
  "next_opening",
] as const;

export const DEFAULT_AFTER_HOURS_TEMPLATES: Record<Lang, MailTemplate> = {
  ja: {
    subject: "【自動返信】営業時間外のお問い合わせを受け付けました {{tag}}",
    body: `{{name}} 様

お問い合わせありがとうございます。(受付番号 {{number}})
ただいま営業時間外のため、{{next_opening}}以降に担当者より順次ご連絡いたします。

このメールは自動送信です。追加のご連絡は、このメールにご返信ください。
`,
  },
  en: {
    subject: "[Auto-reply] We received your message outside business hours {{tag}}",
    body: `Dear {{name}},

Thank you for your message (inquiry {{number}}).
We are closed right now and will get back to you from {{next_opening}}.

This message was sent automatically. To add anything, just reply to it.
`,
  },
};

export interface AutoReplyCandidate {
  autoKind: AutoKind;
  /** The sender's address (From, else the envelope sender). */
  sender: string;
  /** SMTP MAIL FROM; null or "" is the null sender of bounces and other MTA mail. */
  envelopeFrom: string | null;
  /** The domains we receive mail for. */
  ourDomains: string[];
  /** When this department last auto-replied to this sender, or null. */
  lastRepliedAt: number | null;
  now: number;
}

/** Why no auto-reply goes out, or null when one may. */
export function autoReplyRefusal(c: AutoReplyCandidate): string | null {
  if (c.autoKind !== "none") return `machine mail (${c.autoKind})`;
  if (!c.envelopeFrom) return "null envelope sender";
  // A no-reply or mailer-daemon address, even when the message itself looked personal.
  if (classifyAuto({}, c.sender, "text/plain") !== "none") return "machine address";
  for (const address of [c.sender, c.envelopeFrom]) {
    const domain = address.toLowerCase().split("@").pop() ?? "";
    if (c.ourDomains.some((d) => d.toLowerCase() === domain)) return "our own domain";
  }
  // RFC 3834 §4: answer the envelope sender. A From that differs may be forged; answering it
  // would send our mail to a stranger (backscatter), so such mail gets none.
  if (c.envelopeFrom.trim().toLowerCase() !== c.sender.trim().toLowerCase()) {
    return "envelope sender differs from From";
  }
  if (c.lastRepliedAt !== null && c.now - c.lastRepliedAt < AUTO_REPLY_PERIOD_MS) {
    return "already answered in this period";
  }
  return null;
}

/** "2026年3月9日(月) 9:00" / "Mon, Mar 9, 2026, 9:00 AM" in the schedule's zone. */
export function formatOpening(ms: number | null, timeZone: string, lang: Lang): string {
  if (ms === null) return translator(lang)("customerMail.nextBusinessDay");
  return dateTimeFormat(lang === "ja" ? "ja-JP" : "en-US", {
    timeZone,
    year: "numeric",
    month: lang === "ja" ? "long" : "short",
    day: "numeric",
    weekday: "short",
    hour: "numeric",
    minute: "2-digit",
    timeZoneName: lang === "ja" && timeZone === "Asia/Tokyo" ? undefined : "short",
  }).format(ms);
}

/**
 * An admin's after-hours form, given the departments that may take its night mail (any other
 * than its own): auto-reply on or off, the on-duty department, templates with known placeholders.
 */
export function afterHoursForm(onDutyChoices: readonly number[]) {
  return v.pipe(
    v.object({
      auto_reply: checkbox(),
      on_duty: oneOf(onDutyChoices.map(String), {
        message: localized("afterHours.onDutyInvalid", undefined, "is not another department"),
      }),
      ...templateEntries(AFTER_HOURS_PLACEHOLDERS),
    }),
    v.transform((f): AfterHoursPolicy => ({
      autoReply: f.auto_reply,
      onDutyDepartmentId: f.on_duty === undefined ? null : Number(f.on_duty),
      templates: templateOverrides(f, DEFAULT_AFTER_HOURS_TEMPLATES),
    })),
  );
}
