/** On the ticket page: suggested templates and a picker that works without JavaScript (GET). */
import type { Translate } from "../domain/i18n/mod.ts";
import type { Suggestion } from "../services/suggestions.ts";

export interface TemplatePickerProps {
  t: Translate;
  ticketNumber: number;
  suggestions: Suggestion[];
  templates: { id: number; title: string; category: string }[];
}

/** Suggestions (with the terms that matched) and a select that reloads the page with one filled. */
export function TemplatePicker({ t, ticketNumber, suggestions, templates }: TemplatePickerProps) {
  const base = `/tickets/${ticketNumber}`;
  return (
    <div class="template-picker">
      <div class="suggestions">
        <h3>{t("suggest.title")}</h3>
        {suggestions.length === 0 ? <p class="muted small">{t("suggest.none")}</p> : (
          <ol>
            {suggestions.map((s) => (
              <li>
                <a href={`${base}?template=${s.templateId}#reply`}>{s.title}</a>{" "}
                <span class="muted small">
                  {t("suggest.terms")}: {s.terms.map((term) => <mark key={term}>{term}</mark>)}
                </span>
              </li>
            ))}
          </ol>
        )}
      </div>
      {templates.length > 0 && (
        <form method="get" action={`${base}#reply`} class="inline template-get">
          <label class="inline">
            {t("templates.insert")}{" "}
            <select name="template" required>
              <option value="">{t("templates.choose")}</option>
              {templates.map((tpl) => (
                <option value={String(tpl.id)}>
                  {tpl.category ? `${tpl.category} / ${tpl.title}` : tpl.title}
                </option>
              ))}
            </select>
          </label>{" "}
          <button type="submit" class="secondary">{t("templates.insertButton")}</button>{" "}
          <a href="/templates" class="small">{t("templates.manage")}</a>
        </form>
      )}
    </div>
  );
}
