/** 個人設定 → パスワード・在席: an agent's own password (other sessions end) and presence. */
import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import type { Translate } from "../../domain/i18n/mod.ts";
import { findAgentRecord } from "../../db/agents.ts";
import { changeOwnPassword, changeTeamAgent } from "../../services/agents.ts";
import { hashPassword, verifyPassword } from "../../workers/password_pool.ts";
import { findAgentForLogin } from "../../db/agents.ts";
import { sessionCookieName } from "../middleware/session.ts";
import { renderPage } from "../render.tsx";
import { type AppEnv, asAgent, assertAgent, type Ctx } from "../state.ts";

interface AccountProps {
  t: Translate;
  absent: boolean;
  absentUntil: string;
  notice: string | null;
  error: string | null;
}

function AccountPage({ t, absent, absentUntil, notice, error }: AccountProps) {
  return (
    <div class="account">
      <section class="card narrow">
        <h1>{t("team.presence.title")}</h1>
        <form method="post" action="/settings/account/presence">
          <label class="inline">
            <input type="radio" name="absent" value="0" checked={!absent} />{" "}
            {t("team.agents.present")}
          </label>{" "}
          <label class="inline">
            <input type="radio" name="absent" value="1" checked={absent} />{" "}
            {t("team.agents.absent")}
          </label>
          <label>
            {t("team.presence.until")} <input type="date" name="until" value={absentUntil} />
          </label>
          <button type="submit">{t("team.agents.save")}</button>
        </form>
      </section>
      <section class="card narrow">
        <h1>{t("team.password.title")}</h1>
        {notice && <p class="notice" role="status">{notice}</p>}
        {error && <p class="error" role="alert">{error}</p>}
        <form method="post" action="/settings/account/password">
          <label>
            {t("team.password.current")}
            <input name="current" type="password" required autocomplete="current-password" />
          </label>
          <label>
            {t("team.password.new")}
            <input
              name="password"
              type="password"
              minLength={10}
              required
              autocomplete="new-password"
            />
          </label>
          <button type="submit">{t("team.agents.save")}</button>
        </form>
      </section>
    </div>
  );
}

async function show(c: Ctx, options: { notice?: string; error?: string; status?: 200 | 422 } = {}) {
  const me = (await findAgentRecord(c.get("deps").store.db, assertAgent(c).id))!;
  const until = me.absentUntil === null ? "" : new Date(me.absentUntil).toISOString().slice(0, 10);
  return renderPage(
    c,
    c.get("t")("team.password.title"),
    <AccountPage
      t={c.get("t")}
      absent={me.absent}
      absentUntil={until}
      notice={options.notice ?? null}
      error={options.error ?? null}
    />,
    options.status ?? 200,
  );
}

/** Routes under /settings/account. */
export function accountRoutes() {
  const app = new Hono<AppEnv>();
  app.get(
    "/",
    (c) => show(c, c.req.query("changed") ? { notice: c.get("t")("team.password.changed") } : {}),
  );

  app.post("/password", async (c) => {
    const t = c.get("t");
    const form = await c.req.parseBody();
    const current = String(form.current ?? "");
    const password = String(form.password ?? "");
    const me = assertAgent(c);
    const login = await findAgentForLogin(c.get("deps").store.db, me.email);
    if (!login || !await verifyPassword(current, login.password_hash)) {
      return show(c, { error: t("team.password.wrong"), status: 422 });
    }
    if (password.length < 10) return show(c, { error: t("team.setPassword.short"), status: 422 });
    const passwordHash = await hashPassword(password);
    const keepSession = getCookie(c, sessionCookieName(c.get("deps").config));
    await asAgent(c, (ctx) => changeOwnPassword(ctx, { passwordHash, keepSession }));
    return c.redirect("/settings/account?changed=1", 303);
  });

  app.post("/presence", async (c) => {
    const form = await c.req.parseBody();
    const absent = form.absent === "1";
    const until = /^\d{4}-\d{2}-\d{2}$/.test(String(form.until ?? ""))
      ? Date.parse(`${form.until}T23:59:59Z`)
      : null;
    const agentId = assertAgent(c).id;
    await asAgent(
      c,
      (ctx) =>
        changeTeamAgent(ctx, { agentId, changes: { absent, absentUntil: absent ? until : null } }),
    );
    return c.redirect("/settings/account", 303);
  });
  return app;
}
