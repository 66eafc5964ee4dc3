/** Admin: each department's reminder and auto-close settings. */
import type { Department } from "../db/departments.ts";
import type { Lang } from "../domain/inquiry_form.ts";
import type { MailTemplate } from "../domain/mail_template.ts";
import {
  FINAL_ACTIONS,
  LIMITS,
  REMINDER_PLACEHOLDERS,
  type ReminderPolicy,
} from "../domain/reminder_policy.ts";
import type { Translate } from "../domain/i18n/mod.ts";
import { TemplateFieldset } from "./TemplateFieldset.tsx";

export interface ReminderListProps {
  t: Translate;
  rows: { department: Department; policy: ReminderPolicy }[];
}

function summary(t: Translate, p: ReminderPolicy): string {
  if (!p.enabled) return t("automation.off");
  return t("reminders.summary", {
    n: p.afterDays,
    k: p.maxReminders,
    m: p.finalAfterDays,
    action: t(`reminders.action.${p.finalAction}`),
  });
}

/** Every department with its reminder policy in one line. */
export function ReminderList({ t, rows }: ReminderListProps) {
  return (
    <section>
      <h1>{t("reminders.title")}</h1>
      <p class="muted">{t("reminders.explain")}</p>
      <table class="tickets">
        <thead>
          <tr>
            <th>{t("automation.department")}</th>
            <th>{t("automation.setting")}</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ department, policy }) => (
            <tr key={department.id}>
              <td>{department.name}</td>
              <td>{summary(t, policy)}</td>
              <td>
                <a href={`/admin/reminders/${department.id}`}>{t("automation.edit")}</a>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The form's values as shown: a stored policy's, or what the admin typed. */
export interface ReminderFields {
  enabled: boolean;
  after_days: string;
  max_reminders: string;
  final_after_days: string;
  final_action: string;
}

/** The form's values for a stored policy. */
export function reminderFields(p: ReminderPolicy): ReminderFields {
  return {
    enabled: p.enabled,
    after_days: String(p.afterDays),
    max_reminders: String(p.maxReminders),
    final_after_days: String(p.finalAfterDays),
    final_action: p.finalAction,
  };
}

export interface ReminderEditProps {
  t: Translate;
  department: Department;
  values: ReminderFields;
  templates: Record<Lang, MailTemplate>;
  /** Field name → its problem, in the page's language. */
  errors: Record<string, string>;
  saved: boolean;
}

function NumberField(
  p: {
    name: keyof ReminderFields;
    label: string;
    values: ReminderFields;
    min: number;
    max: number;
    errors: Record<string, string>;
  },
) {
  const error = p.errors[p.name];
  return (
    <label>
      {p.label}
      <input
        type="number"
        name={p.name}
        value={String(p.values[p.name])}
        min={p.min}
        max={p.max}
        required
        aria-invalid={error ? "true" : undefined}
      />
      {error && <span class="error">{error}</span>}
    </label>
  );
}

/** One department's reminder form. */
export function ReminderEdit(
  { t, department, values, templates, errors, saved }: ReminderEditProps,
) {
  return (
    <section>
      <p>
        <a href="/admin/reminders">{t("automation.back")}</a>
      </p>
      <h1>{t("reminders.title")}: {department.name}</h1>
      {saved && <p class="notice" role="status">{t("automation.saved")}</p>}
      <p class="muted">{t("reminders.explain")}</p>
      <form method="post" action={`/admin/reminders/${department.id}`} class="card">
        <label class="inline">
          <input type="checkbox" name="enabled" checked={values.enabled} /> {t("reminders.enabled")}
        </label>
        <NumberField
          name="after_days"
          label={t("reminders.afterDays")}
          values={values}
          min={1}
          max={LIMITS.days}
          errors={errors}
        />
        <NumberField
          name="max_reminders"
          label={t("reminders.maxReminders")}
          values={values}
          min={0}
          max={LIMITS.reminders}
          errors={errors}
        />
        <NumberField
          name="final_after_days"
          label={t("reminders.finalAfterDays")}
          values={values}
          min={1}
          max={LIMITS.days}
          errors={errors}
        />
        <label>
          {t("reminders.finalAction")}
          <select name="final_action">
            {FINAL_ACTIONS.map((a) => (
              <option key={a} value={a} selected={a === values.final_action}>
                {t(`reminders.action.${a}`)}
              </option>
            ))}
          </select>
        </label>
        <TemplateFieldset
          t={t}
          legend={t("reminders.template")}
          templates={templates}
          placeholders={REMINDER_PLACEHOLDERS}
          errors={errors}
        />
        <button type="submit">{t("automation.save")}</button>
      </form>
    </section>
  );
}
