/** Login, logout and first-run setup. */
import { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { countAgents, createSession, deleteSession, insertAgent } from "../db/agents.ts";
import { hashPassword } from "../workers/password_pool.ts";
import type { LoginGuard } from "./login_guard.ts";
import { EMAIL_ADDRESS } from "../domain/email_address.ts";
import { renderPage } from "./render.tsx";
import type { Translate } from "../domain/i18n/mod.ts";
import { safeNextPath, sessionCookieName } from "./middleware/session.ts";
import { initialSessionExpiry, SESSION_MAX_MS } from "../domain/session_policy.ts";
import type { AppEnv, Ctx } from "./state.ts";

async function startSession(c: Ctx, agentId: number) {
  const { store, config, now } = c.get("deps");
  const at = (now ?? Date.now)();
  const secret = await store.writeTx((tx) =>
    createSession(tx, agentId, initialSessionExpiry(at) - at, at)
  );
  // The browser keeps the cookie for the longest a session can live; the server ends it sooner
  // when it goes unused (domain/session_policy.ts).
  setCookie(c, sessionCookieName(config), secret, {
    httpOnly: true,
    sameSite: "Lax",
    secure: config.secureCookies,
    path: "/",
    maxAge: SESSION_MAX_MS / 1000,
  });
}

interface LoginFormProps {
  t: Translate;
  next: string;
  email?: string;
  error?: string;
}

function LoginForm({ t, next, email, error }: LoginFormProps) {
  return (
    <section class="card narrow">
      <h1>{t("login.title")}</h1>
      {error && <p class="error" role="alert">{error}</p>}
      <form method="post" action="/login">
        <input type="hidden" name="next" value={next} />
        <label>
          {t("login.email")}
          <input type="email" name="email" value={email ?? ""} required autocomplete="username" />
        </label>
        <label>
          {t("login.password")}
          <input type="password" name="password" required autocomplete="current-password" />
        </label>
        <button type="submit">{t("login.submit")}</button>
      </form>
    </section>
  );
}

interface SetupFormProps {
  t: Translate;
  values: { name?: string; email?: string };
  errors: Record<string, string>;
}

function SetupForm({ t, values, errors }: SetupFormProps) {
  return (
    <section class="card narrow">
      <h1>{t("setup.title")}</h1>
      <form method="post" action="/setup">
        <label>
          {t("setup.name")}
          <input name="name" value={values.name ?? ""} required />
          {errors.name && <span class="error">{errors.name}</span>}
        </label>
        <label>
          {t("login.email")}
          <input type="email" name="email" value={values.email ?? ""} required />
          {errors.email && <span class="error">{errors.email}</span>}
        </label>
        <label>
          {t("login.password")}
          <input
            type="password"
            name="password"
            required
            minLength={10}
            autocomplete="new-password"
          />
          {errors.password && <span class="error">{errors.password}</span>}
        </label>
        <button type="submit">{t("setup.submit")}</button>
      </form>
    </section>
  );
}

/** Routes: /login, /logout, /setup. */
export function authRoutes(guard: LoginGuard) {
  const app = new Hono<AppEnv>();

  app.get("/login", async (c) => {
    if (await countAgents(c.get("deps").store.db) === 0) return c.redirect("/setup", 303);
    const next = safeNextPath(c.req.query("next"));
    if (c.get("agent")) return c.redirect(next, 303);
    return renderPage(c, c.get("t")("login.title"), <LoginForm t={c.get("t")} next={next} />);
  });

  app.post("/login", async (c) => {
    const t = c.get("t");
    const form = await c.req.parseBody();
    const email = String(form.email ?? "").trim().toLowerCase();
    const password = String(form.password ?? "");
    const next = safeNextPath(String(form.next ?? "/"));
    const result = await guard.signIn(c, email, password);
    if (result.kind !== "ok") {
      const error = t(result.kind === "limited" ? "login.limited" : "login.failed");
      return renderPage(
        c,
        t("login.title"),
        <LoginForm t={t} next={next} email={email} error={error} />,
        result.kind === "limited" ? 429 : 422,
      );
    }
    await startSession(c, result.agent.id);
    return c.redirect(next, 303);
  });

  app.post("/logout", async (c) => {
    const { store, config } = c.get("deps");
    const name = sessionCookieName(config);
    const secret = getCookie(c, name);
    if (secret) await store.writeTx((tx) => deleteSession(tx, secret));
    deleteCookie(c, name, { path: "/", secure: config.secureCookies });
    return c.redirect("/login", 303);
  });

  app.get("/setup", async (c) => {
    if (await countAgents(c.get("deps").store.db) > 0) return c.notFound();
    return renderPage(
      c,
      c.get("t")("setup.title"),
      <SetupForm t={c.get("t")} values={{}} errors={{}} />,
    );
  });

  app.post("/setup", async (c) => {
    const t = c.get("t");
    const { store } = c.get("deps");
    if (await countAgents(store.db) > 0) return c.notFound();
    const form = await c.req.parseBody();
    const values = {
      name: String(form.name ?? "").trim(),
      email: String(form.email ?? "").trim().toLowerCase(),
    };
    const password = String(form.password ?? "");
    const errors: Record<string, string> = {};
    if (!values.name) errors.name = t("setup.nameRequired");
    if (!EMAIL_ADDRESS.test(values.email)) errors.email = t("setup.emailInvalid");
    if (password.length < 10) errors.password = t("setup.passwordShort");
    if (Object.keys(errors).length > 0) {
      return renderPage(
        c,
        t("setup.title"),
        <SetupForm t={t} values={values} errors={errors} />,
        422,
      );
    }
    const passwordHash = await hashPassword(password);
    const agent = await store.writeTx(async (tx) => {
      // Two setup forms sent at once: the second finds an agent and gets 404 too.
      if (await countAgents(tx) > 0) return undefined;
      return await insertAgent(tx, { ...values, passwordHash, role: "admin" }, Date.now());
    });
    if (!agent) return c.notFound();
    await startSession(c, agent.id);
    return c.redirect("/", 303);
  });

  return app;
}
