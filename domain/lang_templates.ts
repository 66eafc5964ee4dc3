/**
 * Customer-facing automatic mail in the customer's language: per-language template overrides
 * (a missing language uses the default text) and a guess at the language of a mail. Pure.
 *
 * @module
 */
import type { Lang } from "./inquiry_form.ts";
import type { MailTemplate } from "./mail_template.ts";

/** Overrides saved for a department; a missing language uses the default. */
export type LangTemplates = Partial<Record<Lang, MailTemplate>>;

/** Reads `{"ja":{subject,body},"en":{…}}`, keeping only well-formed entries. */
export function parseLangTemplates(json: string | null): LangTemplates {
  let raw: unknown;
  try {
    raw = json ? JSON.parse(json) : {};
  } catch {
    return {};
  }
  const out: LangTemplates = {};
  for (const lang of ["ja", "en"] as const) {
    const t = (raw as Record<string, Partial<MailTemplate>> | null)?.[lang];
    if (typeof t?.subject === "string" && typeof t?.body === "string") {
      out[lang] = { subject: t.subject, body: t.body };
    }
  }
  return out;
}

/** The template for a language: the override, else the default. */
export function pickTemplate(
  overrides: LangTemplates,
  defaults: Record<Lang, MailTemplate>,
  lang: Lang,
): MailTemplate {
  return overrides[lang] ?? defaults[lang];
}

/** The language to answer in: Japanese when the customer wrote any kana or kanji. */
export function guessLang(text: string): Lang {
  return /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u.test(text) ? "ja" : "en";
}

/** What an admin's template fields became: overrides to save, texts to show, problems. */
export interface TemplateFields {
  overrides: LangTemplates;
  shown: Record<Lang, MailTemplate>;
  /** Field name → placeholder names the mail does not know. */
  unknown: Record<string, string>;
}

/**
 * Reads `tpl.<lang>.subject` / `tpl.<lang>.body` from a posted form. A language left empty or
 * equal to the default saves no override, so later changes to the default reach it.
 */
export function readTemplateFields(
  posted: Record<string, unknown>,
  defaults: Record<Lang, MailTemplate>,
  allowed: readonly string[],
): TemplateFields {
  const out: TemplateFields = { overrides: {}, shown: { ...defaults }, unknown: {} };
  for (const lang of ["ja", "en"] as const) {
    const field = (part: string) => {
      const v = posted[`tpl.${lang}.${part}`];
      return typeof v === "string" ? v.replace(/\r\n?/g, "\n") : "";
    };
    const subject = field("subject").replace(/\n+/g, " ").trim();
    const body = field("body");
    if (!subject && !body.trim()) continue;
    const tpl = {
      subject: subject || defaults[lang].subject,
      body: body.trim() ? body : defaults[lang].body,
    };
    out.shown[lang] = tpl;
    if (tpl.subject !== defaults[lang].subject || tpl.body !== defaults[lang].body) {
      out.overrides[lang] = tpl;
    }
    for (const part of ["subject", "body"] as const) {
      const used = [...tpl[part].matchAll(/\{\{\s*([^{}]*?)\s*\}\}/g)].map((m) => m[1]);
      const names = [...new Set(used.filter((n) => !allowed.includes(n)))];
      if (names.length) out.unknown[`tpl.${lang}.${part}`] = names.map((n) => `{{${n}}}`).join(" ");
    }
  }
  return out;
}

/** Both languages' texts as the edit form shows them, defaults filled in. */
export function shownTemplates(
  overrides: LangTemplates,
  defaults: Record<Lang, MailTemplate>,
): Record<Lang, MailTemplate> {
  return {
    ja: pickTemplate(overrides, defaults, "ja"),
    en: pickTemplate(overrides, defaults, "en"),
  };
}
