/**
 * Confirmation mail templates: defaults in Japanese and English, per-department overrides, and
 * placeholder substitution. Mail is plain text, so values are inserted as they are; a rendered
 * subject never keeps a line break (nodemailer encodes headers, but a subject is one line).
 */
import type { Lang } from "./inquiry_form.ts";

export type TemplateKind = "customer" | "agents";
export const TEMPLATE_KINDS: TemplateKind[] = ["customer", "agents"];
export const LANGS: Lang[] = ["ja", "en"];

export interface MailTemplate {
  subject: string;
  body: string;
}

/** Overrides saved for a department; a missing entry uses the default. */
export type TemplateOverrides = Partial<Record<TemplateKind, Partial<Record<Lang, MailTemplate>>>>;

/** What each kind of mail may mention. */
export const PLACEHOLDERS: Record<TemplateKind, readonly string[]> = {
  customer: [
    "number",
    "tag",
    "name",
    "email",
    "subject",
    "body",
    "department",
    "reply_url",
    "status_url",
    "access_key",
  ],
  agents: ["number", "tag", "name", "email", "subject", "body", "department", "ticket_url"],
};

export const DEFAULT_TEMPLATES: Record<TemplateKind, Record<Lang, MailTemplate>> = {
  customer: {
    ja: {
      subject: "お問い合わせを受け付けました: {{subject}} {{tag}}",
      body: `{{name}} 様

{{department}}へお問い合わせいただき、ありがとうございます。
以下の内容で受け付けました。担当者より順次ご連絡いたします。

受付番号: {{number}}
件名: {{subject}}

{{body}}

■ やりとりの確認・返信
次のリンクから、これまでのやりとりの確認と返信ができます。
このリンクはお客様専用です。他の方に転送しないでください。
{{reply_url}}

■ 受付番号とアクセスキーで確認する
{{status_url}}
受付番号: {{number}}
アクセスキー: {{access_key}}

このメールは自動送信です。このメールにご返信いただいた内容も、お問い合わせに追記されます。
`,
    },
    en: {
      subject: "We received your inquiry: {{subject}} {{tag}}",
      body: `Dear {{name}},

Thank you for contacting {{department}}. We received your inquiry and will get back to you soon.

Inquiry number: {{number}}
Subject: {{subject}}

{{body}}

View the conversation and reply (this link is for you only; please do not forward it):
{{reply_url}}

Or check the status with your inquiry number and access key:
{{status_url}}
Inquiry number: {{number}}
Access key: {{access_key}}

This message was sent automatically. If you reply to it, your reply is added to your inquiry.
`,
    },
  },
  agents: {
    ja: {
      subject: "[新規問い合わせ] {{subject}} {{tag}}",
      body: `{{department}}に Web フォームから新しいお問い合わせがありました。

受付番号: {{number}}
お客様: {{name}} <{{email}}>
件名: {{subject}}

{{body}}

チケットを開いて返信する:
{{ticket_url}}

このメールは通知専用です。返信はチケットの画面から行ってください。
`,
    },
    en: {
      subject: "[New inquiry] {{subject}} {{tag}}",
      body: `A new inquiry for {{department}} came in through the web form.

Inquiry number: {{number}}
Customer: {{name}} <{{email}}>
Subject: {{subject}}

{{body}}

Open the ticket and reply:
{{ticket_url}}

This is a notification only: please reply from the ticket page.
`,
    },
  },
};

/** The template a department uses for a kind of mail in a language. */
export function effectiveTemplate(
  overrides: TemplateOverrides,
  kind: TemplateKind,
  lang: Lang,
): MailTemplate {
  return overrides[kind]?.[lang] ?? DEFAULT_TEMPLATES[kind][lang];
}

/** Placeholders a template uses that its kind does not know, e.g. a typo ("{{nmae}}"). */
export function unknownPlaceholders(kind: TemplateKind, text: string): string[] {
  const known = PLACEHOLDERS[kind];
  const used = [...text.matchAll(/\{\{\s*([^{}]*?)\s*\}\}/g)].map((m) => m[1]);
  return [...new Set(used.filter((name) => !known.includes(name)))];
}

/** Fills the placeholders; the subject comes out as one line. */
export function renderTemplate(tpl: MailTemplate, vars: Record<string, string>): MailTemplate {
  const fill = (s: string) =>
    s.replace(/\{\{\s*([a-z_]+)\s*\}\}/g, (whole, name: string) => vars[name] ?? whole);
  return {
    subject: fill(tpl.subject).replace(/[\r\n\u2028\u2029]+/g, " ").replace(/\s+/g, " ").trim(),
    body: fill(tpl.body).replace(/\r\n?/g, "\n"),
  };
}

/** Reads stored overrides, keeping only well-formed entries. */
export function parseTemplateOverrides(json: string | null): TemplateOverrides {
  let raw: unknown;
  try {
    raw = json ? JSON.parse(json) : {};
  } catch {
    return {};
  }
  const out: TemplateOverrides = {};
  for (const kind of TEMPLATE_KINDS) {
    for (const lang of LANGS) {
      const t = (raw as Record<string, Record<string, Partial<MailTemplate>>>)?.[kind]?.[lang];
      if (typeof t?.subject === "string" && typeof t?.body === "string") {
        (out[kind] ??= {})[lang] = { subject: t.subject, body: t.body };
      }
    }
  }
  return out;
}

/** The mail a customer gets when an agent renews their link and access key. */
export const LINK_RENEWED_TEMPLATES: Record<Lang, MailTemplate> = {
  ja: {
    subject: "お問い合わせ確認用リンクを更新しました {{tag}}",
    body: `{{name}} 様

受付番号 {{number}} のお問い合わせについて、確認用のリンクとアクセスキーを更新しました。
以前のリンクとアクセスキーは使えなくなりました。

やりとりの確認・返信:
{{reply_url}}

受付番号とアクセスキーで確認する: {{status_url}}
アクセスキー: {{access_key}}
`,
  },
  en: {
    subject: "Your inquiry link was renewed {{tag}}",
    body: `Dear {{name}},

We renewed the link and access key for your inquiry {{number}}. The previous ones no longer work.

View the conversation and reply:
{{reply_url}}

Check the status with your inquiry number and access key: {{status_url}}
Access key: {{access_key}}
`,
  },
};
