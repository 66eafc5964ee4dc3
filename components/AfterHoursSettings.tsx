/** Admin: each department's after-hours auto-reply and on-duty routing. */
import type { Department } from "../db/departments.ts";
import { AFTER_HOURS_PLACEHOLDERS, type AfterHoursPolicy } from "../domain/after_hours.ts";
import type { Lang } from "../domain/inquiry_form.ts";
import type { MailTemplate } from "../domain/mail_template.ts";
import type { Translate } from "../domain/i18n/mod.ts";
import { TemplateFieldset } from "./TemplateFieldset.tsx";

export interface AfterHoursListProps {
  t: Translate;
  rows: { department: Department; policy: AfterHoursPolicy; hasSchedule: boolean }[];
  departments: Department[];
}

/** Every department with its after-hours settings in one line. */
export function AfterHoursList({ t, rows, departments }: AfterHoursListProps) {
  const name = (id: number | null) => departments.find((d) => d.id === id)?.name;
  return (
    <section>
      <h1>{t("afterHours.title")}</h1>
      <p class="muted">{t("afterHours.explain")}</p>
      <table class="tickets">
        <thead>
          <tr>
            <th>{t("automation.department")}</th>
            <th>{t("afterHours.autoReply")}</th>
            <th>{t("afterHours.onDuty")}</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ department, policy, hasSchedule }) => (
            <tr key={department.id}>
              <td>
                {department.name}
                {!hasSchedule && <span class="muted small">{t("afterHours.noSchedule")}</span>}
              </td>
              <td>{policy.autoReply ? "✓" : t("automation.off")}</td>
              <td>{name(policy.onDutyDepartmentId) ?? t("afterHours.onDutyNone")}</td>
              <td>
                <a href={`/admin/after-hours/${department.id}`}>{t("automation.edit")}</a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export interface AfterHoursEditProps {
  t: Translate;
  department: Department;
  departments: Department[];
  hasSchedule: boolean;
  /** The stored policy's choices, or what the admin picked. */
  policy: Pick<AfterHoursPolicy, "autoReply" | "onDutyDepartmentId">;
  templates: Record<Lang, MailTemplate>;
  /** Field name → its problem, in the page's language. */
  errors: Record<string, string>;
  saved: boolean;
}

/** One department's after-hours form. */
export function AfterHoursEdit(p: AfterHoursEditProps) {
  const { t, department, policy } = p;
  return (
    <section>
      <p>
        <a href="/admin/after-hours">{t("automation.back")}</a>
      </p>
      <h1>{t("afterHours.title")}: {department.name}</h1>
      {p.saved && <p class="notice" role="status">{t("automation.saved")}</p>}
      <p class="muted">{t("afterHours.explain")}</p>
      {!p.hasSchedule && <p class="error">{t("afterHours.noSchedule")}</p>}
      <form method="post" action={`/admin/after-hours/${department.id}`} class="card">
        <label class="inline">
          <input type="checkbox" name="auto_reply" checked={policy.autoReply} />{" "}
          {t("afterHours.autoReply")}
        </label>
        <label>
          {t("afterHours.onDuty")}
          <select name="on_duty" aria-invalid={p.errors.on_duty ? "true" : undefined}>
            <option value="" selected={policy.onDutyDepartmentId === null}>
              {t("afterHours.onDutyNone")}
            </option>
            {p.departments.filter((d) => d.id !== department.id).map((d) => (
              <option key={d.id} value={String(d.id)} selected={d.id === policy.onDutyDepartmentId}>
                {d.name}
              </option>
            ))}
          </select>
          {p.errors.on_duty && <span class="error">{p.errors.on_duty}</span>}
        </label>
        <TemplateFieldset
          t={t}
          legend={t("afterHours.template")}
          templates={p.templates}
          placeholders={AFTER_HOURS_PLACEHOLDERS}
          errors={p.errors}
        />
        <button type="submit">{t("automation.save")}</button>
      </form>
    </section>
  );
}
