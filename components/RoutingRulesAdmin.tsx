/** Admin: 自動振り分けルール — the ordered rules, and the form that creates or edits one. */
import type { Translate } from "../domain/i18n/mod.ts";
import { PRIORITIES } from "../domain/priority.ts";
import { CONDITION_KEYS, type RoutingRule, type RoutingRuleForm } from "../domain/routing_rules.ts";

export interface RuleChoices {
  departments: { id: number; name: string }[];
  agents: { id: number; name: string; disabled: boolean }[];
  tags: { id: number; name: string; color: string }[];
}

/** What a rule checks, as short lines ("件名に含む: 返金, 払い戻し"). */
function conditionLines(t: Translate, r: RoutingRule): string[] {
  const c = r.conditions;
  return CONDITION_KEYS.filter((k) => c[k]?.length)
    .map((k) => `${t(`routing.cond.${k}`)}: ${c[k]!.join(", ")}`);
}

/** What a rule sets, as short lines ("部署 → 経理"). */
export function actionLines(t: Translate, r: RoutingRule, choices: RuleChoices): string[] {
  const a = r.actions;
  const lines: string[] = [];
  if (a.departmentId !== undefined) {
    const name = choices.departments.find((d) => d.id === a.departmentId)?.name ?? "—";
    lines.push(t("routing.summary.department", { name }));
  }
  if (a.assigneeId !== undefined) {
    const agent = choices.agents.find((x) => x.id === a.assigneeId);
    const name = agent
      ? agent.disabled ? `${agent.name} (${t("team.disabledAgent")})` : agent.name
      : "—";
    lines.push(t("routing.summary.assignee", { name }));
  }
  if (a.tagIds?.length) {
    const names = choices.tags.filter((g) => a.tagIds!.includes(g.id)).map((g) => g.name);
    lines.push(t("routing.summary.tags", { names: names.join(", ") || "—" }));
  }
  if (a.priority) {
    lines.push(t("routing.summary.priority", { priority: t(`priority.${a.priority}`) }));
  }
  return lines;
}

export interface RoutingRulesPageProps {
  t: Translate;
  rules: RoutingRule[];
  choices: RuleChoices;
  form: RoutingRuleForm;
  errors: Record<string, string>;
}

/** The list of rules in order, with the new-rule form below. */
export function RoutingRulesPage(p: RoutingRulesPageProps) {
  const { t } = p;
  return (
    <section class="routing-rules">
      <h1>{t("routing.title")}</h1>
      <p class="muted">{t("routing.intro")}</p>
      {p.rules.length === 0 ? <p class="empty">{t("routing.empty")}</p> : (
        <ol class="rule-list">
          {p.rules.map((r, i) => (
            <li key={r.id} class={r.enabled ? "card" : "card off"} data-rule={r.name}>
              <div class="rule-head">
                <span class="rule-order">{i + 1}</span>
                <strong>{r.name}</strong>
                <span class={`badge ${r.enabled ? "on" : "off"}`}>
                  {t(r.enabled ? "routing.enabled" : "routing.disabled")}
                </span>
              </div>
              <div class="rule-body">
                <div>
                  <span class="muted small">{t("routing.conditions")}</span>
                  <ul>{conditionLines(t, r).map((l) => <li key={l}>{l}</li>)}</ul>
                </div>
                <div>
                  <span class="muted small">{t("routing.actions")}</span>
                  <ul>{actionLines(t, r, p.choices).map((l) => <li key={l}>{l}</li>)}</ul>
                </div>
              </div>
              <div class="rule-tools">
                <form method="post" action={`/admin/routing/${r.id}/move`} class="inline">
                  <input type="hidden" name="direction" value="up" />
                  <button type="submit" class="secondary" disabled={i === 0}>
                    ↑ {t("routing.up")}
                  </button>
                </form>
                <form method="post" action={`/admin/routing/${r.id}/move`} class="inline">
                  <input type="hidden" name="direction" value="down" />
                  <button type="submit" class="secondary" disabled={i === p.rules.length - 1}>
                    ↓ {t("routing.down")}
                  </button>
                </form>
                <a href={`/admin/routing/${r.id}`} class="button secondary">{t("routing.edit")}</a>
                <form method="post" action={`/admin/routing/${r.id}/enabled`} class="inline">
                  <input type="hidden" name="enabled" value={r.enabled ? "0" : "1"} />
                  <button type="submit" class="secondary">
                    {t(r.enabled ? "routing.disable" : "routing.enable")}
                  </button>
                </form>
                <form method="post" action={`/admin/routing/${r.id}/delete`} class="inline">
                  <button type="submit" class="link danger">{t("routing.delete")}</button>
                </form>
              </div>
            </li>
          ))}
        </ol>
      )}
      <h2 id="new">{t("routing.new")}</h2>
      <RuleForm t={t} action="/admin/routing" form={p.form} errors={p.errors} choices={p.choices}>
        {t("routing.create")}
      </RuleForm>
    </section>
  );
}

/** The edit page of one rule. */
export function RoutingRuleEdit(
  p: Omit<RoutingRulesPageProps, "rules"> & { id: number; saved: boolean },
) {
  const { t } = p;
  return (
    <section class="routing-rules">
      <p>
        <a href="/admin/routing">← {t("routing.back")}</a>
      </p>
      <h1>{t("routing.editTitle")}</h1>
      {p.saved && <p class="notice" role="status">{t("routing.saved")}</p>}
      <RuleForm
        t={t}
        action={`/admin/routing/${p.id}`}
        form={p.form}
        errors={p.errors}
        choices={p.choices}
      >
        {t("routing.save")}
      </RuleForm>
    </section>
  );
}

function FieldError({ message }: { message?: string }) {
  return message ? <span class="error field-error" role="alert">{message}</span> : null;
}

function RuleForm(
  p: {
    t: Translate;
    action: string;
    form: RoutingRuleForm;
    errors: Record<string, string>;
    choices: RuleChoices;
    children: string;
  },
) {
  const { t, form: f, errors: e } = p;
  const text = (name: (typeof CONDITION_KEYS)[number], placeholder: string) => (
    <label>
      {t(`routing.cond.${name}`)}
      <input name={name} value={f[name] as string} maxLength={2000} placeholder={placeholder} />
    </label>
  );
  return (
    <form method="post" action={p.action} class="card rule-form">
      {Object.keys(e).length > 0 && <p class="error" role="alert">{t("routing.error.invalid")}</p>}
      <label>
        {t("routing.name")}
        <input name="name" value={f.name} required maxLength={50} placeholder="返金" />
        <FieldError message={e.name} />
      </label>
      <label class="inline">
        <input type="checkbox" name="enabled" value="1" checked={f.enabled} />{" "}
        {t("routing.enabled")}
      </label>
      <fieldset>
        <legend>{t("routing.conditions")}</legend>
        <FieldError message={e.conditions} />
        <div class="rule-grid">
          {text("subject", "返金, 払い戻し")}
          {text("body", "")}
          {text("senderDomain", "example.co.jp")}
          {text("senderAddress", "")}
          {text("category", "ご請求・お支払いについて")}
        </div>
        <p class="muted small">{t("routing.condHint")}</p>
      </fieldset>
      <fieldset>
        <legend>{t("routing.actions")}</legend>
        <FieldError message={e.actions} />
        <div class="rule-grid">
          <label>
            {t("routing.act.department")}
            <select name="departmentId">
              <option value="">{t("routing.act.keep")}</option>
              {p.choices.departments.map((d) => (
                <option key={d.id} value={d.id} selected={String(d.id) === f.departmentId}>
                  {d.name}
                </option>
              ))}
            </select>
            <FieldError message={e.department_id} />
          </label>
          <label>
            {t("routing.act.assignee")}
            <select name="assigneeId">
              <option value="">{t("routing.act.keep")}</option>
              {p.choices.agents.filter((a) => !a.disabled || String(a.id) === f.assigneeId).map((
                a,
              ) => (
                <option key={a.id} value={a.id} selected={String(a.id) === f.assigneeId}>
                  {a.disabled ? `${a.name} (${t("team.disabledAgent")})` : a.name}
                </option>
              ))}
            </select>
            <FieldError message={e.assignee_id} />
          </label>
          <label>
            {t("routing.act.priority")}
            <select name="priority">
              <option value="">{t("routing.act.keep")}</option>
              {PRIORITIES.map((x) => (
                <option key={x} value={x} selected={x === f.priority}>{t(`priority.${x}`)}</option>
              ))}
            </select>
          </label>
        </div>
        <div class="rule-tags">
          <span>{t("routing.act.tags")}</span>
          {p.choices.tags.length === 0
            ? <span class="muted small">{t("routing.noTags")}</span>
            : p.choices.tags.map((g) => (
              <label class="inline" key={g.id}>
                <input
                  type="checkbox"
                  name="tagIds"
                  value={g.id}
                  checked={f.tagIds.includes(String(g.id))}
                />{" "}
                <span class="tag-chip" style={`--tag:${g.color}`}>{g.name}</span>
              </label>
            ))}
          <FieldError message={e.tag_ids} />
        </div>
      </fieldset>
      <button type="submit">{p.children}</button>
    </form>
  );
}
