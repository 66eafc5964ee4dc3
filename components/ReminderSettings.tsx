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

export interface ReminderEditProps {
  t: Translate;
  department: Department;
  policy: ReminderPolicy;
  templates: Record<Lang, MailTemplate>;
  errors: Record<string, string>;
  unknown: Record<string, string>;
  saved: boolean;
}

function NumberField(
  p: {
    t: Translate;
    name: string;
    label: string;
    value: number;
    min: number;
    max: number;
    error?: string;
  },
) {
  return (
    <label>
      {p.label}
      <input
        type="number"
        name={p.name}
        value={Number.isFinite(p.value) ? String(p.value) : ""}
        min={p.min}
        max={p.max}
        required
      />
      {p.error && <span class="error">{p.t("reminders.range")}</span>}
    </label>
  );
}

/** One department's reminder form. */
export function ReminderEdit(
  { t, department, policy, templates, errors, unknown, saved }: ReminderEditProps,
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
          <input type="checkbox" name="enabled" checked={policy.enabled} /> {t("reminders.enabled")}
        </label>
        <NumberField
          t={t}
          name="after_days"
          label={t("reminders.afterDays")}
          value={policy.afterDays}
          min={1}
          max={LIMITS.days}
          error={errors.afterDays}
        />
        <NumberField
          t={t}
          name="max_reminders"
          label={t("reminders.maxReminders")}
          value={policy.maxReminders}
          min={0}
          max={LIMITS.reminders}
          error={errors.maxReminders}
        />
        <NumberField
          t={t}
          name="final_after_days"
          label={t("reminders.finalAfterDays")}
          value={policy.finalAfterDays}
          min={1}
          max={LIMITS.days}
          error={errors.finalAfterDays}
        />
        <label>
          {t("reminders.finalAction")}
          <select name="final_action">
            {FINAL_ACTIONS.map((a) => (
              <option key={a} value={a} selected={a === policy.finalAction}>
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
          unknown={unknown}
        />
        <button type="submit">{t("automation.save")}</button>
      </form>
    </section>
  );
}
