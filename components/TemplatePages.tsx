/** Agents' pages for reply templates (定型文): the list and the editor with its preview. */
import type { Translate } from "../domain/i18n/mod.ts";
import type { ReplyTemplate, TemplateScope } from "../db/templates.ts";
import { TEMPLATE_SCOPES } from "../db/templates.ts";
import type { Department } from "../db/departments.ts";
import { TEMPLATE_VARIABLES } from "../domain/template_vars.ts";

export interface TemplateListProps {
  t: Translate;
  templates: ReplyTemplate[];
  categories: string[];
  category: string | null;
  departments: Department[];
}

function scopeLabel(t: Translate, tpl: ReplyTemplate, departments: Department[]) {
  if (tpl.scope !== "department") return t(`templates.scope.${tpl.scope}`);
  const d = departments.find((d) => d.id === tpl.departmentId);
  return `${t("templates.scope.department")}: ${d?.name ?? "—"}`;
}

/** The start of a body on one line, for the list. */
function snippet(body: string): string {
  const flat = body.replace(/\s+/g, " ").trim();
  return flat.length > 60 ? `${flat.slice(0, 60)}…` : flat;
}

/** Every template the agent may see, by category, with its scope and how often it was used. */
export function TemplateList(p: TemplateListProps) {
  const { t } = p;
  return (
    <section class="templates">
      <div class="page-head">
        <h1>{t("templates.title")}</h1>
        <a class="button" href="/templates/new">{t("templates.new")}</a>
      </div>
      <p class="muted">{t("templates.intro")}</p>
      {p.categories.length > 0 && (
        <nav class="folders">
          <a href="/templates" class={p.category === null ? "active" : undefined}>
            {t("templates.all")}
          </a>
          {p.categories.map((c) => (
            <a
              href={`/templates?category=${encodeURIComponent(c)}`}
              class={p.category === c ? "active" : undefined}
            >
              {c}
            </a>
          ))}
        </nav>
      )}
      {p.templates.length === 0
        ? <p class="empty">{t("templates.empty")}</p>
        : (
          <table class="tickets">
            <thead>
              <tr>
                <th>{t("templates.field.title")}</th>
                <th>{t("templates.field.category")}</th>
                <th class="nowrap">{t("templates.field.scope")}</th>
                <th class="num nowrap">{t("templates.usage")}</th>
              </tr>
            </thead>
            <tbody>
              {p.templates.map((tpl) => (
                <tr>
                  <td>
                    <a href={`/templates/${tpl.id}`}>{tpl.title}</a>
                    <div class="muted small snippet">{snippet(tpl.body)}</div>
                  </td>
                  <td>{tpl.category || "—"}</td>
                  <td class="nowrap">{scopeLabel(t, tpl, p.departments)}</td>
                  <td class="num">{tpl.usageCount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
    </section>
  );
}

export interface TemplateEditorProps {
  t: Translate;
  /** Absent: a new template. */
  template?: ReplyTemplate;
  values: {
    title: string;
    body: string;
    category: string;
    scope: TemplateScope;
    departmentId: number | null;
  };
  departments: Department[];
  categories: string[];
  editable: boolean;
  preview: string;
  error?: string;
  saved?: boolean;
}

/** The editor: fields, the variables one can use, and the body filled with sample values. */
export function TemplateEditor(p: TemplateEditorProps) {
  const { t, values } = p;
  const action = p.template ? `/templates/${p.template.id}` : "/templates";
  return (
    <section class="template-editor">
      <p>
        <a href="/templates">← {t("templates.title")}</a>
      </p>
      <h1>{p.template ? t("templates.edit") : t("templates.new")}</h1>
      {p.saved && <p class="notice" role="status">{t("templates.saved")}</p>}
      {p.error && <p class="error" role="alert">{p.error}</p>}
      {!p.editable && <p class="notice">{t("templates.readOnly")}</p>}
      <div class="editor-grid">
        <form method="post" action={action} class="card">
          <label>
            {t("templates.field.title")}
            <input
              name="title"
              value={values.title}
              required
              maxLength={200}
              disabled={!p.editable}
            />
          </label>
          <label>
            {t("templates.field.category")}
            <input
              name="category"
              value={values.category}
              maxLength={100}
              list="template-categories"
              disabled={!p.editable}
            />
            <datalist id="template-categories">
              {p.categories.map((c) => <option key={c} value={c} />)}
            </datalist>
          </label>
          <label>
            {t("templates.field.body")}
            <textarea name="body" rows={12} required maxLength={20000} disabled={!p.editable}>
              {values.body}
            </textarea>
          </label>
          <fieldset disabled={!p.editable}>
            <legend>{t("templates.field.scope")}</legend>
            {TEMPLATE_SCOPES.map((s) => (
              <label class="inline">
                <input type="radio" name="scope" value={s} checked={values.scope === s} />{" "}
                {t(`templates.scope.${s}`)}
              </label>
            ))}
            <label class="inline">
              {t("templates.field.department")}{" "}
              <select name="department_id">
                <option value="">—</option>
                {p.departments.map((d) => (
                  <option value={String(d.id)} selected={values.departmentId === d.id}>
                    {d.name}
                  </option>
                ))}
              </select>
            </label>
          </fieldset>
          {p.editable && <button type="submit">{t("templates.save")}</button>}
        </form>
        <aside>
          <div class="card">
            <h2>{t("templates.variables")}</h2>
            <ul class="variables">
              {TEMPLATE_VARIABLES.map((name) => (
                <li>
                  <code>{`{{${name}}}`}</code>
                </li>
              ))}
            </ul>
            <p class="muted small">{t("templates.variablesHint")}</p>
          </div>
          <div class="card">
            <h2>{t("templates.preview")}</h2>
            <pre class="body">{p.preview}</pre>
          </div>
          {p.template && (
            <div class="card">
              <p class="muted small">
                {t("templates.usage")}: {p.template.usageCount}
              </p>
              <form
                method="post"
                action={`/articles/from-template/${p.template.id}`}
                class="inline"
              >
                <button type="submit" class="secondary">{t("templates.toFaq")}</button>
              </form>
              {p.editable && (
                <form method="post" action={`/templates/${p.template.id}/delete`} class="inline">
                  <button type="submit" class="danger">{t("templates.delete")}</button>
                </form>
              )}
            </div>
          )}
        </aside>
      </div>
    </section>
  );
}
