/** /invite/:secret — the one-time set-password link an invited agent gets by mail (72 h). */
import { Hono } from "hono";
import type { Translate } from "../domain/i18n/mod.ts";
import { acceptInvitation, invitationAgent } from "../services/agents.ts";
import { hashPassword } from "../workers/password_pool.ts";
import { renderPage } from "./render.tsx";
import { type AppEnv, type Ctx } from "./state.ts";
import { SYSTEM, transact } from "../services/context.ts";

function SetPasswordForm(p: { t: Translate; name: string; email: string; error?: string }) {
  const { t } = p;
  return (
    <section class="card narrow">
      <h1>{t("team.setPassword.title")}</h1>
      <p>
        {p.name} <span class="muted">({p.email})</span>
      </p>
      {p.error && <p class="error" role="alert">{p.error}</p>}
      <form method="post">
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
        <button type="submit">{t("team.setPassword.submit")}</button>
      </form>
    </section>
  );
}

function invalid(c: Ctx) {
  const t = c.get("t");
  return renderPage(
    c,
    t("team.setPassword.title"),
    <section class="card narrow">
      <h1>{t("team.setPassword.title")}</h1>
      <p class="error" role="alert">{t("team.setPassword.invalid")}</p>
    </section>,
    404,
  );
}

/** Reads the link's agent in a (read-only in effect) transaction, as the system. */
function lookup(c: Ctx, secret: string) {
  return transact(c.get("rt"), SYSTEM, (ctx) => invitationAgent(ctx, secret));
}

/** Routes under /invite. */
export function inviteRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/:secret{[A-Za-z0-9_-]{16,100}}", async (c) => {
    const found = await lookup(c, c.req.param("secret"));
    if (!found) return invalid(c);
    c.header("referrer-policy", "no-referrer");
    return renderPage(
      c,
      c.get("t")("team.setPassword.title"),
      <SetPasswordForm t={c.get("t")} name={found.name} email={found.email} />,
    );
  });

  app.post("/:secret{[A-Za-z0-9_-]{16,100}}", async (c) => {
    const secret = c.req.param("secret");
    const found = await lookup(c, secret);
    if (!found) return invalid(c);
    const password = String((await c.req.parseBody()).password ?? "");
    if (password.length < 10) {
      const t = c.get("t");
      return renderPage(
        c,
        t("team.setPassword.title"),
        <SetPasswordForm
          t={t}
          name={found.name}
          email={found.email}
          error={t("team.setPassword.short")}
        />,
        422,
      );
    }
    const passwordHash = await hashPassword(password);
    await transact(c.get("rt"), SYSTEM, (ctx) => acceptInvitation(ctx, { secret, passwordHash }));
    return c.redirect(`/login?email=${encodeURIComponent(found.email)}`, 303);
  });

  return app;
}
