/** Admin: SLA policies — the department × priority overview, and one policy's editor. */
import { PRIORITIES, type Priority } from "../domain/priority.ts";
import {
  formatDurationMinutes,
  type LevelForm,
  NOTIFY_TARGETS,
  type SlaPolicy,
  type SlaPolicyForm,
} from "../domain/sla_policy.ts";
import type { Translate } from "../domain/i18n/mod.ts";

interface Department {
  id: number;
  name: string;
}

export interface SlaOverviewProps {
  t: Translate;
  departments: Department[];
  policies: SlaPolicy[];
}

/** Each department's policies per priority, with the targets at a glance. */
export function SlaOverview({ t, departments, policies }: SlaOverviewProps) {
  const find = (d: number, p: Priority) =>
    policies.find((x) => x.departmentId === d && x.priority === p);
  return (
    <section>
      <h1>{t("sla.title")}</h1>
      <p class="muted">{t("sla.intro")}</p>
      <table class="tickets sla-overview">
        <thead>
          <tr>
            <th>{t("sla.department")}</th>
            {PRIORITIES.map((p) => <th key={p}>{t(`priority.${p}`)}</th>)}
          </tr>
        </thead>
        <tbody>
          {departments.map((d) => (
            <tr key={d.id}>
              <td>{d.name}</td>
              {PRIORITIES.map((p) => {
                const policy = find(d.id, p);
                return (
                  <td key={p}>
                    <a href={`/admin/sla/${d.id}/${p}`}>
                      {policy ? summary(t, policy) : t("sla.none")}
                    </a>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function summary(t: Translate, p: SlaPolicy): string {
  const parts: string[] = [];
  if (p.firstResponseMinutes) {
    parts.push(`${t("sla.firstResponse")} ${formatDurationMinutes(p.firstResponseMinutes)}`);
  }
  if (p.nextResponseMinutes) {
    parts.push(`${t("sla.nextResponse")} ${formatDurationMinutes(p.nextResponseMinutes)}`);
  }
  if (p.resolutionMinutes) {
    parts.push(`${t("sla.resolution")} ${formatDurationMinutes(p.resolutionMinutes)}`);
  }
  return parts.join(" / ");
}

export interface SlaPolicyEditProps {
  t: Translate;
  department: Department;
  priority: Priority;
  departments: Department[];
  form: SlaPolicyForm;
  /** Translated messages per field. */
  errors: Record<string, string>;
  exists: boolean;
  saved?: boolean;
}

/** One policy: targets, warning threshold, and the actions on warning and breach. */
export function SlaPolicyEdit(p: SlaPolicyEditProps) {
  const { t, form, errors } = p;
  const action = `/admin/sla/${p.department.id}/${p.priority}`;
  const target = (name: "firstResponse" | "nextResponse" | "resolution", label: string) => (
    <label>
      {label}
      <input
        name={name}
        value={form[name]}
        size={10}
        aria-invalid={errors[name] ? "true" : undefined}
      />
      {errors[name] && <span class="error">{errors[name]}</span>}
    </label>
  );
  return (
    <section>
      <p>
        <a href="/admin/sla">{t("sla.back")}</a>
      </p>
      <h1>{p.department.name} · {t(`priority.${p.priority}`)}</h1>
      {p.saved && <p class="notice" role="status">{t("sla.saved")}</p>}
      {errors.targets && <p class="error" role="alert">{errors.targets}</p>}
      <form method="post" action={action} class="card">
        <p class="muted small">{t("sla.targetHint")}</p>
        {target("firstResponse", t("sla.firstResponse"))}
        {target("nextResponse", t("sla.nextResponse"))}
        {target("resolution", t("sla.resolution"))}
        <fieldset>
          <legend>{t("sla.warning")}</legend>
          <select name="warningKind">
            {(["percent", "minutes"] as const).map((k) => (
              <option key={k} value={k} selected={form.warningKind === k}>
                {t(`sla.warningKind.${k}`)}
              </option>
            ))}
          </select>{" "}
          <input
            name="warningValue"
            value={form.warningValue}
            size={6}
            aria-label={t("sla.warningValue")}
          />
          {errors.warningValue && <span class="error">{errors.warningValue}</span>}
        </fieldset>
        <Level t={t} level="warning" form={form.warning} departments={p.departments} />
        {errors.warning && <p class="error">{errors.warning}</p>}
        <Level t={t} level="breach" form={form.breach} departments={p.departments} />
        {errors.breach && <p class="error">{errors.breach}</p>}
        <label>
          <input
            type="checkbox"
            name="businessHoursOnly"
            value="1"
            checked={form.businessHoursOnly}
          />{" "}
          {t("sla.businessHoursOnly")}
        </label>
        <button type="submit">{t("sla.save")}</button>
      </form>
      {p.exists && (
        <form method="post" action={`${action}/delete`}>
          <button type="submit">{t("sla.delete")}</button>
        </form>
      )}
    </section>
  );
}

function Level(
  { t, level, form, departments }: {
    t: Translate;
    level: "warning" | "breach";
    form: LevelForm;
    departments: Department[];
  },
) {
  return (
    <fieldset>
      <legend>{t(`sla.escalation.${level}`)}</legend>
      {NOTIFY_TARGETS.map((to) => (
        <label key={to}>
          <input
            type="checkbox"
            name={`${level}.notify`}
            value={to}
            checked={form.notify.includes(to)}
          />{" "}
          {t(`sla.notify.${to}`)}
        </label>
      ))}
      <label>
        <input type="checkbox" name={`${level}.mail`} value="1" checked={form.mail} />{" "}
        {t("sla.mail")}
      </label>
      <label>
        <input
          type="checkbox"
          name={`${level}.raisePriority`}
          value="1"
          checked={form.raisePriority}
        />{" "}
        {t("sla.raisePriority")}
      </label>
      <label>
        {t("sla.moveTo")}{" "}
        <select name={`${level}.moveTo`}>
          <option value="" selected={form.moveTo === ""}>{t("sla.noMove")}</option>
          {departments.map((d) => (
            <option key={d.id} value={d.id} selected={form.moveTo === String(d.id)}>
              {d.name}
            </option>
          ))}
        </select>
      </label>
    </fieldset>
  );
}
