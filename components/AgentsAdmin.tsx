/** 担当者管理: the team's agents, an invitation form, and one agent's edit form. */
import type { AgentRecord } from "../db/agents.ts";
import type { Department } from "../db/departments.ts";
import type { Translate } from "../domain/i18n/mod.ts";
import { ROLES } from "../domain/permissions.ts";

export interface AgentsAdminProps {
  t: Translate;
  agents: AgentRecord[];
  departments: Department[];
  notice: "saved" | "invited" | null;
}

function RoleSelect(p: { t: Translate; value: string }) {
  return (
    <select name="role">
      {ROLES.map((r) => (
        <option key={r} value={r} selected={p.value === r}>{p.t(`team.role.${r}`)}</option>
      ))}
    </select>
  );
}

function DepartmentChecks(p: { departments: Department[]; checked: number[] }) {
  return (
    <span class="checks">
      {p.departments.map((d) => (
        <label key={d.id} class="inline">
          <input
            type="checkbox"
            name="department_ids"
            value={d.id}
            checked={p.checked.includes(d.id)}
          />{" "}
          {d.name}
        </label>
      ))}
    </span>
  );
}

/** The list of agents and the invitation form. */
export function AgentsAdmin({ t, agents, departments, notice }: AgentsAdminProps) {
  const deptName = (id: number) => departments.find((d) => d.id === id)?.name ?? `#${id}`;
  return (
    <section class="agents-admin">
      <h1>{t("team.agents.title")}</h1>
      {notice && <p class="notice" role="status">{t(`team.agents.${notice}`)}</p>}
      <table class="tickets">
        <thead>
          <tr>
            <th>{t("team.agents.name")}</th>
            <th>{t("team.agents.email")}</th>
            <th>{t("team.agents.role")}</th>
            <th>{t("team.agents.departments")}</th>
            <th>{t("team.agents.state")}</th>
          </tr>
        </thead>
        <tbody>
          {agents.map((a) => (
            <tr key={a.id} data-agent={a.email} class={a.disabled ? "muted" : undefined}>
              <td>
                <a href={`/admin/agents/${a.id}`}>{a.name}</a>
              </td>
              <td>{a.email}</td>
              <td>{t(`team.role.${a.role}`)}</td>
              <td>{a.departmentIds.map(deptName).join("、")}</td>
              <td>
                {t(a.disabled ? "team.agents.disabled" : "team.agents.active")}
                {!a.disabled && ` · ${t(a.absent ? "team.agents.absent" : "team.agents.present")}`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="post" action="/admin/agents" class="card narrow">
        <h2>{t("team.agents.invite")}</h2>
        <label>
          {t("team.agents.name")} <input name="name" required maxLength={100} />
        </label>
        <label>
          {t("team.agents.email")} <input name="email" type="email" required maxLength={254} />
        </label>
        <label>
          {t("team.agents.role")} <RoleSelect t={t} value="agent" />
        </label>
        <fieldset>
          <legend>{t("team.agents.departments")}</legend>
          <DepartmentChecks departments={departments} checked={[]} />
          <label class="inline">
            <input type="checkbox" name="restricted" value="1" /> {t("team.agents.restricted")}
          </label>
        </fieldset>
        <label>
          {t("team.agents.password")}
          <input name="password" type="password" minLength={10} autocomplete="new-password" />
        </label>
        <p class="muted">{t("team.agents.inviteHint")}</p>
        <button type="submit">{t("team.agents.invite")}</button>
      </form>
    </section>
  );
}

/** One agent: name, role, departments, state, password reset. */
export function AgentEdit(
  p: {
    t: Translate;
    agent: AgentRecord;
    departments: Department[];
    saved: boolean;
    /** The agent has not set a password yet (invited). */
    invited: boolean;
    /** A new invitation was just sent. */
    resent: boolean;
  },
) {
  const { t, agent: a } = p;
  return (
    <section class="card narrow">
      <h1>{a.name}</h1>
      <p class="muted">{a.email}</p>
      {p.saved && <p class="notice" role="status">{t("team.agents.saved")}</p>}
      {p.resent && <p class="notice" role="status">{t("invite.resent")}</p>}
      <form method="post" action={`/admin/agents/${a.id}`}>
        <label>
          {t("team.agents.name")} <input name="name" value={a.name} required maxLength={100} />
        </label>
        <label>
          {t("team.agents.role")} <RoleSelect t={t} value={a.role} />
        </label>
        <fieldset>
          <legend>{t("team.agents.departments")}</legend>
          <DepartmentChecks departments={p.departments} checked={a.departmentIds} />
          <label class="inline">
            <input type="checkbox" name="restricted" value="1" checked={a.restricted} />{" "}
            {t("team.agents.restricted")}
          </label>
        </fieldset>
        <button type="submit">{t("team.agents.save")}</button>
      </form>
      <form method="post" action={`/admin/agents/${a.id}/active`} class="inline">
        <input type="hidden" name="active" value={a.disabled ? "1" : "0"} />
        <button type="submit">
          {t(a.disabled ? "team.agents.enable" : "team.agents.disable")}
        </button>
      </form>
      {p.invited && !a.disabled && (
        <form method="post" action={`/admin/agents/${a.id}/invitation`} class="resend-invite">
          <p class="muted small">{t("invite.resendHint")}</p>
          <button type="submit" class="secondary">{t("invite.resend")}</button>
        </form>
      )}
      <form method="post" action={`/admin/agents/${a.id}/password`}>
        <label>
          {t("team.agents.newPassword")}
          <input
            name="password"
            type="password"
            minLength={10}
            required
            autocomplete="new-password"
          />
        </label>
        <button type="submit">{t("team.agents.resetPassword")}</button>
      </form>
    </section>
  );
}
