/** Admin: spam rules (allow/deny a sender, keywords) and how mail is scored (/admin/spam). */
import { Hono } from "hono";
import { listSpamRules } from "../../db/spam_rules.ts";
import { ValidationError } from "../../domain/errors.ts";
import type { Translate } from "../../domain/i18n/mod.ts";
import {
  SPAM_POINTS,
  SPAM_RULE_KINDS,
  SPAM_THRESHOLD,
  type SpamRule,
  type SpamRuleKind,
} from "../../domain/spam.ts";
import { addSpamRule, removeSpamRule } from "../../services/spam.ts";
import { renderPage } from "../render.tsx";
import { type AppEnv, asAgent, type Ctx } from "../state.ts";

interface SpamRulesProps {
  t: Translate;
  rules: SpamRule[];
  form: { kind: SpamRuleKind; pattern: string; error: boolean };
}

function SpamRulesPage({ t, rules, form }: SpamRulesProps) {
  const scoring: [string, number][] = [
    [t("spam.scoring.dmarc"), SPAM_POINTS.dmarcFail],
    [t("spam.scoring.dkim"), SPAM_POINTS.dkimFail],
    [t("spam.scoring.spf"), SPAM_POINTS.spfFail],
    [t("spam.scoring.keyword"), SPAM_POINTS.keyword],
    [t("spam.scoring.deny"), SPAM_POINTS.deny],
  ];
  return (
    <section class="spam-rules">
      <h1>{t("spam.title")}</h1>
      <p class="muted">{t("spam.intro", { threshold: String(SPAM_THRESHOLD) })}</p>
      <h2>{t("spam.rules")}</h2>
      {rules.length === 0 ? <p class="empty">{t("spam.noRules")}</p> : (
        <table class="tickets">
          <thead>
            <tr>
              <th>{t("spam.kind")}</th>
              <th>{t("spam.pattern")}</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {rules.map((r) => (
              <tr key={r.id}>
                <td>{t(`spam.kind.${r.kind}`)}</td>
                <td>
                  <code>{r.pattern}</code>
                </td>
                <td>
                  <form method="post" action={`/admin/spam/${r.id}/delete`} class="inline">
                    <button type="submit" class="secondary">{t("spam.remove")}</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form method="post" action="/admin/spam" class="card">
        {form.error && <p class="error" role="alert">{t("spam.invalid")}</p>}
        <label>
          {t("spam.kind")}{" "}
          <select name="kind">
            {SPAM_RULE_KINDS.map((k) => (
              <option key={k} value={k} selected={k === form.kind}>{t(`spam.kind.${k}`)}</option>
            ))}
          </select>
        </label>
        <label>
          {t("spam.pattern")} <input name="pattern" value={form.pattern} required maxlength={200} />
        </label>
        <p class="muted small">{t("spam.patternHint")}</p>
        <button type="submit">{t("spam.add")}</button>
      </form>
      <h2>{t("spam.scoring")}</h2>
      <table class="tickets">
        <tbody>
          {scoring.map(([label, points]) => (
            <tr key={label}>
              <td>{label}</td>
              <td>+{points}</td>
            </tr>
          ))}
          <tr>
            <td>{t("spam.scoring.allow")}</td>
            <td>{SPAM_POINTS.allow}</td>
          </tr>
        </tbody>
      </table>
    </section>
  );
}

async function page(c: Ctx, form: SpamRulesProps["form"], status: 200 | 422 = 200) {
  const t = c.get("t");
  const rules = await listSpamRules(c.get("deps").store.db);
  return renderPage(c, t("spam.title"), <SpamRulesPage t={t} rules={rules} form={form} />, status);
}

/** Routes under /admin/spam. */
export function spamRuleRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/", (c) => page(c, { kind: "deny", pattern: "", error: false }));

  app.post("/", async (c) => {
    const body = await c.req.parseBody();
    const kind = String(body.kind ?? "");
    const pattern = String(body.pattern ?? "");
    try {
      await asAgent(c, (ctx) => addSpamRule(ctx, { kind, pattern }));
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      const shown = (SPAM_RULE_KINDS as readonly string[]).includes(kind)
        ? kind as SpamRuleKind
        : "deny";
      return page(c, { kind: shown, pattern, error: true }, 422);
    }
    return c.redirect("/admin/spam", 303);
  });

  app.post("/:id{[0-9]{1,15}}/delete", async (c) => {
    await asAgent(c, (ctx) => removeSpamRule(ctx, { id: Number(c.req.param("id")) }));
    return c.redirect("/admin/spam", 303);
  });

  return app;
}
