/**
 * Customer-facing automatic mail in the customer's language: per-language template overrides
 * (a missing language uses the default text) and a guess at the language of a mail. Pure.
 *
 * @module
 */
import type { Lang } from "./inquiry_form.ts";
import type { MailTemplate } from "./mail_template.ts";
import { localized, text, v } from "./validation.ts";

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

/** The template fields of an admin's form: `tpl.<lang>.subject` and `tpl.<lang>.body`. */
export type TemplateFieldName = `tpl.${Lang}.${keyof MailTemplate}`;

/** The placeholder names a text uses that the mail does not know, as `{{a}} {{b}}` ("" if none). */
export function unknownPlaceholders(text: string, allowed: readonly string[]): string {
  const used = [...text.matchAll(/\{\{\s*([^{}]*?)\s*\}\}/g)].map((m) => m[1]);
  return [...new Set(used.filter((n) => !allowed.includes(n)))].map((n) => `{{${n}}}`).join(" ");
}

/**
 * The schema entries of the template fields: a one-line subject, a body kept as typed, and only
 * placeholders the mail knows (`allowed`). Empty fields come out undefined.
 */
export function templateEntries(allowed: readonly string[]) {
  const known = v.check(
    (s: string | undefined) => !s || unknownPlaceholders(s, allowed) === "",
    localized(
      "automation.unknownPlaceholder",
      (input) => ({ names: unknownPlaceholders(String(input), allowed) }),
      "uses unknown placeholders",
    ),
  );
  const subject = v.pipe(text({ max: 300 }), known);
  const body = v.pipe(text({ max: 20_000, multiline: true, keepSpace: true }), known);
  return {
    "tpl.ja.subject": subject,
    "tpl.ja.body": body,
    "tpl.en.subject": subject,
    "tpl.en.body": body,
  };
}

/**
 * The overrides to save from checked template fields. A language left empty or equal to the
 * default saves no override, so later changes to the default reach it.
 */
export function templateOverrides(
  fields: Partial<Record<TemplateFieldName, string>>,
  defaults: Record<Lang, MailTemplate>,
): LangTemplates {
  const out: LangTemplates = {};
  for (const lang of ["ja", "en"] as const) {
    const subject = fields[`tpl.${lang}.subject`] ?? "";
    const body = fields[`tpl.${lang}.body`] ?? "";
    if (!subject && !body) continue;
    const tpl = { subject: subject || defaults[lang].subject, body: body || defaults[lang].body };
    if (tpl.subject !== defaults[lang].subject || tpl.body !== defaults[lang].body) out[lang] = tpl;
  }
  return out;
}

/** The template texts as typed, to show again with problems; a language left empty shows its default. */
export function typedTemplates(
  posted: Record<string, unknown>,
  defaults: Record<Lang, MailTemplate>,
): Record<Lang, MailTemplate> {
  const typed = (lang: Lang, part: keyof MailTemplate) => {
    const x = posted[`tpl.${lang}.${part}`];
    return typeof x === "string" ? x : "";
  };
  const shown = { ...defaults };
  for (const lang of ["ja", "en"] as const) {
    const subject = typed(lang, "subject");
    const body = typed(lang, "body");
    if (!subject.trim() && !body.trim()) continue;
    shown[lang] = {
      subject: subject.trim() ? subject : defaults[lang].subject,
      body: body.trim() ? body : defaults[lang].body,
    };
  }
  return shown;
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
