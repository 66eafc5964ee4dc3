/** Editable ja/en subject and body of an automatic mail, with its placeholders listed. */
import type { Lang } from "../domain/inquiry_form.ts";
import type { MailTemplate } from "../domain/mail_template.ts";
import type { Translate } from "../domain/i18n/mod.ts";

export interface TemplateFieldsetProps {
  t: Translate;
  legend: string;
  templates: Record<Lang, MailTemplate>;
  placeholders: readonly string[];
  /** Field name (`tpl.ja.body`) → its problem, in the page's language. */
  errors: Record<string, string>;
}

/** The `tpl.<lang>.subject` / `tpl.<lang>.body` fields for both languages. */
export function TemplateFieldset(
  { t, legend, templates, placeholders, errors }: TemplateFieldsetProps,
) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      <p class="muted small">
        {t("automation.placeholders", { list: placeholders.map((p) => `{{${p}}}`).join(" ") })}
        {" · "}
        {t("automation.resetHint")}
      </p>
      {(["ja", "en"] as const).map((lang) => (
        <div key={lang}>
          <label>
            {t("automation.subject")} ({lang})
            <input name={`tpl.${lang}.subject`} value={templates[lang].subject} maxLength={300} />
            <Problem text={errors[`tpl.${lang}.subject`]} />
          </label>
          <label>
            {t("automation.body")} ({lang})
            <textarea name={`tpl.${lang}.body`} rows={10}>{templates[lang].body}</textarea>
            <Problem text={errors[`tpl.${lang}.body`]} />
          </label>
        </div>
      ))}
    </fieldset>
  );
}

function Problem({ text }: { text?: string }) {
  return text ? <span class="error">{text}</span> : null;
}
