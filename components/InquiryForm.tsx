/** The public inquiry form: a plain multipart POST, no JavaScript, errors next to their fields. */
import type { Translate } from "../domain/i18n/mod.ts";
import {
  fieldLabel,
  type FieldType,
  type FormField,
  type InquiryValues,
  type Lang,
  MAX_LENGTH,
  optionLabel,
} from "../domain/inquiry_form.ts";
import { FilesHint } from "./FilesHint.tsx";

/** The honeypot's name: a field people never see and naive bots fill in. */
export const HONEYPOT_FIELD = "website";

export interface InquiryFormProps {
  t: Translate;
  lang: Lang;
  title: string;
  action: string;
  fields: FormField[];
  values: Partial<InquiryValues>;
  /** Translated messages by field. */
  errors: Partial<Record<FieldType, string>>;
  /** A message above the form (expired token, re-attach files, a post from another site). */
  notice?: string;
  formToken: string;
  /** FAQ articles close to the subject typed so far (none: only the link to the FAQ). */
  faq?: { subject: string; articles: { id: number; title: string }[] };
}

function Control(
  { field, lang, t, value, invalid }: {
    field: FormField;
    lang: Lang;
    t: Translate;
    value: string;
    invalid: boolean;
  },
) {
  const common = {
    id: `f-${field.type}`,
    required: field.required,
    "aria-invalid": invalid ? "true" as const : undefined,
    "aria-describedby": invalid ? `e-${field.type}` : undefined,
  };
  switch (field.type) {
    case "text":
      return (
        <textarea {...common} name="text" rows={8} maxLength={MAX_LENGTH.text}>{value}</textarea>
      );
    case "category":
      return (
        <select {...common} name="category">
          <option value="">{t("inquiry.choose")}</option>
          {field.options.map((o, i) => (
            <option value={String(i)} selected={value === String(i)}>{optionLabel(o, lang)}</option>
          ))}
        </select>
      );
    case "attachments":
      return <input {...common} type="file" name="files" multiple />;
    default: {
      const input = { ...common, name: field.type, value, maxLength: MAX_LENGTH[field.type] };
      if (field.type === "email") return <input {...input} type="email" autocomplete="email" />;
      if (field.type === "phone") return <input {...input} type="tel" autocomplete="tel" />;
      return <input {...input} type="text" autocomplete={field.type === "name" ? "name" : "off"} />;
    }
  }
}

/**
 * "送信前に よくある質問 を確認": a plain GET link to the FAQ searched for the subject (opened
 * beside the form, so what was typed stays), and the closest articles when we know the subject.
 */
function FaqCheck(
  { t, subject, articles }: {
    t: Translate;
    subject: string;
    articles: { id: number; title: string }[];
  },
) {
  const href = subject.trim() ? `/faq?q=${encodeURIComponent(subject.trim())}` : "/faq";
  return (
    <aside class="faq-check">
      <a href={href} target="_blank" rel="noopener">{t("faq.checkBefore")}</a>
      {articles.length > 0 && (
        <>
          <p class="small muted">{t("faq.matching")}</p>
          <ul>
            {articles.map((a) => (
              <li key={a.id}>
                <a href={`/faq/${a.id}`} target="_blank" rel="noopener">{a.title}</a>
              </li>
            ))}
          </ul>
        </>
      )}
    </aside>
  );
}

/** The form, filled with what the visitor typed when it comes back with errors. */
export function InquiryForm(p: InquiryFormProps) {
  const { t, lang } = p;
  const hasErrors = Object.keys(p.errors).length > 0;
  return (
    <section class="card customer-card">
      <h1>{p.title}</h1>
      <p>{t("inquiry.intro")}</p>
      {p.notice && <p class="notice" role="status">{p.notice}</p>}
      {hasErrors && <p class="form-errors" role="alert">{t("inquiry.errorsSummary")}</p>}
      {p.faq && <FaqCheck t={t} {...p.faq} />}
      <form method="post" action={p.action} enctype="multipart/form-data">
        <input type="hidden" name="form_token" value={p.formToken} />
        {p.fields.filter((f) => f.enabled).map((f) => {
          const error = p.errors[f.type];
          const value = f.type === "attachments" ? "" : p.values[f.type] ?? "";
          return (
            <div class="field" key={f.type}>
              <label for={`f-${f.type}`}>
                {fieldLabel(f, lang)}
                {f.required && <span class="req">{t("inquiry.required")}</span>}
              </label>
              <Control field={f} lang={lang} t={t} value={value} invalid={!!error} />
              {f.type === "attachments" && <FilesHint t={t} />}
              {error && <span class="field-error" id={`e-${f.type}`}>{error}</span>}
            </div>
          );
        })}
        <div class="hp" aria-hidden="true">
          <label>
            {t("inquiry.honeypot")}
            <input type="text" name={HONEYPOT_FIELD} tabindex={-1} autocomplete="off" value="" />
          </label>
        </div>
        <button type="submit">{t("inquiry.submit")}</button>
      </form>
    </section>
  );
}
