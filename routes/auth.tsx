/** Login, logout and first-run setup. */
import { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { countAgents, createSession, deleteSession, insertAgent } from "../db/agents.ts";
import { hashPassword } from "../workers/password_pool.ts";
import type { LoginGuard } from "./login_guard.ts";
import { EMAIL_ADDRESS } from "../domain/email_address.ts";
import { renderPage } from "./render.tsx";
import { checkInput, localized, orElse, secret, text, v } from "../domain/validation.ts";
import type { Translate } from "../domain/i18n/mod.ts";
import { safeNextPath, sessionCookieName } from "./middleware/session.ts";
import { initialSessionExpiry, SESSION_MAX_MS } from "../domain/session_policy.ts";
import type { AppEnv, Ctx } from "./state.ts";

/** Longer passwords are refused before any hashing work is spent on them. */
const MAX_PASSWORD = 1000;

const lowerCase = v.transform((s: string) => s.toLowerCase());

/** A sign-in: nothing here is an error of its own; a bad value simply fails to sign in. */
const LoginInput = v.object({
  email: v.pipe(orElse(text({ max: 254 }), ""), lowerCase),
  password: orElse(secret({ max: MAX_PASSWORD }), ""),
  next: orElse(text({ max: 2000 }), "/"),
});

const SetupInput = v.object({
  name: text({ required: true, max: 100, requiredMessage: localized("setup.nameRequired") }),
  email: v.pipe(
    text({
      required: true,
      max: 254,
      pattern: EMAIL_ADDRESS,
      patternMessage: localized("setup.emailInvalid"),
      requiredMessage: localized("setup.emailInvalid"),
    }),
    lowerCase,
  ),
  password: secret({ min: 10, max: MAX_PASSWORD, tooShort: localized("setup.passwordShort") }),
});

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
    const { email, password, ...form } = v.parse(LoginInput, await c.req.parseBody());
    const next = safeNextPath(form.next);
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
    const checked = checkInput(SetupInput, form, t);
    if (!checked.ok) {
      const values = { name: String(form.name ?? ""), email: String(form.email ?? "") };
      return renderPage(
        c,
        t("setup.title"),
        <SetupForm t={t} values={values} errors={checked.fields} />,
        422,
      );
    }
    const { password, ...values } = checked.value;
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
