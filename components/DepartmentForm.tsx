/** Admin: the list of departments, and one department's form, confirmations and templates. */
import type { Department } from "../db/departments.ts";
import { type DepartmentFormValues, formatOptions } from "../domain/department_form.ts";
import { defaultFieldLabel } from "../domain/inquiry_form.ts";
import { LANGS, PLACEHOLDERS, TEMPLATE_KINDS } from "../domain/mail_template.ts";
import type { Translate } from "../domain/i18n/mod.ts";

export interface DepartmentListProps {
  t: Translate;
  departments: Department[];
  values: { name: string; slug: string };
  errors: Record<string, string>;
}

/** All departments with their form links, and the "add" form. */
export function DepartmentList({ t, departments, values, errors }: DepartmentListProps) {
  return (
    <section>
      <h1>{t("departments.title")}</h1>
      <table class="tickets">
        <thead>
          <tr>
            <th>{t("departments.name")}</th>
            <th>{t("departments.formUrl")}</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {departments.map((d) => (
            <tr key={d.id}>
              <td>{d.name}</td>
              <td>
                <a href={`/inquiry/${d.slug}`}>/inquiry/{d.slug}</a>
              </td>
              <td>
                <a href={`/admin/departments/${d.id}`}>{t("departments.edit")}</a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted small">
        {t("approvalAdmin.deptHint")} <a href="/admin/approval">{t("approvalAdmin.title")}</a>
      </p>
      <h2>{t("departments.create")}</h2>
      <form method="post" action="/admin/departments" class="card">
        <label>
          {t("departments.name")}
          <input name="name" value={values.name} required maxLength={100} />
          {errors.name && <span class="error">{errors.name}</span>}
        </label>
        <label>
          {t("departments.slug")}
          <input name="slug" value={values.slug} required maxLength={40} pattern="[a-z0-9-]+" />
          <span class="muted small">{t("departments.slugHint")}</span>
          {errors.slug && <span class="error">{errors.slug}</span>}
        </label>
        <button type="submit">{t("departments.create")}</button>
      </form>
    </section>
  );
}

export interface DepartmentEditProps {
  t: Translate;
  department: Department;
  values: DepartmentFormValues;
  agents: { id: number; name: string; email: string }[];
  errors: Record<string, string>;
  saved?: boolean;
}

function FieldRows({ t, values }: Pick<DepartmentEditProps, "t" | "values">) {
  return (
    <table class="tickets">
      <thead>
        <tr>
          <th>{t("departments.order")}</th>
          <th>{t("departments.field")}</th>
          <th>{t("departments.enabled")}</th>
          <th>{t("departments.requiredCol")}</th>
          <th>{t("departments.labelJa")}</th>
          <th>{t("departments.labelEn")}</th>
        </tr>
      </thead>
      <tbody>
        {values.fields.map((f, i) => {
          const name = (k: string) => `f.${f.type}.${k}`;
          const fixed = f.type === "email" || f.type === "text";
          return (
            <tr key={f.type}>
              <td>
                <input type="number" name={name("order")} value={String(i + 1)} min={1} max={99} />
              </td>
              <td>
                {defaultFieldLabel(f.type, "ja")}
                {f.type === "category" && (
                  <label>
                    {t("departments.options")}
                    <textarea name={name("options")} rows={4}>{formatOptions(f.options)}</textarea>
                  </label>
                )}
              </td>
              <td>
                <input
                  type="checkbox"
                  name={name("enabled")}
                  checked={f.enabled}
                  disabled={fixed}
                />
                {fixed && <input type="hidden" name={name("enabled")} value="on" />}
              </td>
              <td>
                <input
                  type="checkbox"
                  name={name("required")}
                  checked={f.required}
                  disabled={f.type === "email"}
                />
                {f.type === "email" && <input type="hidden" name={name("required")} value="on" />}
              </td>
              <td>
                <input
                  name={name("label_ja")}
                  value={f.label.ja}
                  placeholder={defaultFieldLabel(f.type, "ja")}
                />
              </td>
              <td>
                <input
                  name={name("label_en")}
                  value={f.label.en}
                  placeholder={defaultFieldLabel(f.type, "en")}
                />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** One department's settings form. */
export function DepartmentEdit(
  { t, department, values, agents, errors, saved }: DepartmentEditProps,
) {
  return (
    <section>
      <p>
        <a href="/admin/departments">{t("departments.back")}</a>
      </p>
      <h1>{department.name}</h1>
      {saved && <p class="notice" role="status">{t("departments.saved")}</p>}
      <form method="post" action={`/admin/departments/${department.id}`}>
        <label>
          {t("departments.name")}
          <input name="name" value={values.name} required maxLength={100} />
          {errors.name && <span class="error">{errors.name}</span>}
        </label>
        <p>
          {t("departments.formUrl")}:{" "}
          <a href={`/inquiry/${department.slug}`}>/inquiry/{department.slug}</a>
        </p>
        <h2>{t("departments.fields")}</h2>
        <FieldRows t={t} values={values} />
        <h2>{t("departments.confirmations")}</h2>
        <label class="inline">
          <input type="checkbox" name="confirm_customer" checked={values.confirmCustomer} />{" "}
          {t("departments.confirmCustomer")}
        </label>
        <label class="inline">
          <input type="checkbox" name="confirm_agents" checked={values.confirmAgents} />{" "}
          {t("departments.confirmAgents")}
        </label>
        <fieldset>
          <legend>{t("departments.notify")}</legend>
          {agents.map((a) => (
            <label class="inline" key={a.id}>
              <input
                type="checkbox"
                name="notify"
                value={String(a.id)}
                checked={values.notifyAgentIds.includes(a.id)}
              />{" "}
              {a.name} &lt;{a.email}&gt;
            </label>
          ))}
        </fieldset>
        <h2>{t("departments.templates")}</h2>
        <p class="muted small">{t("departments.resetHint")}</p>
        {TEMPLATE_KINDS.map((kind) => (
          <fieldset key={kind}>
            <legend>{t(`departments.tpl.${kind}`)}</legend>
            <p class="muted small">
              {t("departments.placeholders", {
                list: PLACEHOLDERS[kind].map((p) => `{{${p}}}`).join(" "),
              })}
            </p>
            {LANGS.map((lang) => {
              const key = `tpl.${kind}.${lang}`;
              const tpl = values.templates[kind][lang];
              return (
                <div key={lang}>
                  <label>
                    {t("departments.subject")} ({lang})
                    <input name={`${key}.subject`} value={tpl.subject} maxLength={300} />
                    {errors[`${key}.subject`] && (
                      <span class="error">{errors[`${key}.subject`]}</span>
                    )}
                  </label>
                  <label>
                    {t("departments.body")} ({lang})
                    <textarea name={`${key}.body`} rows={12}>{tpl.body}</textarea>
                    {errors[`${key}.body`] && <span class="error">{errors[`${key}.body`]}</span>}
                  </label>
                </div>
              );
            })}
          </fieldset>
        ))}
        <button type="submit">{t("departments.save")}</button>
      </form>
    </section>
  );
}
