/** The agent's own preferences: name, UI language (ja/en) and the time zone dates are shown in. */
import { Hono } from "hono";
import { updateAgentProfile } from "../../db/agents.ts";
import { type ProfileError, timeZoneChoices, validateProfile } from "../../domain/agent_profile.ts";
import { renderPage } from "../render.tsx";
import type { Translate } from "../../domain/i18n/mod.ts";
import { type AppEnv, asAgent, assertAgent, type Ctx } from "../state.ts";
import { findSendDelay } from "../../db/send_delay.ts";
import { SendDelayForm } from "../../components/SendDelayForm.tsx";
import { SignatureForm } from "../../components/SignatureForm.tsx";
import { findAgentSignature } from "../../db/composer.ts";
import { setOwnSignature } from "../../services/signature.ts";
import { ValidationError } from "../../domain/errors.ts";
import { fieldMessage } from "../../domain/validation.ts";

interface ProfileFormProps {
  t: Translate;
  values: { name: string; locale: string; timeZone: string };
  errors: Record<string, ProfileError>;
  defaultZone: string;
  saved: boolean;
}

function ProfileForm({ t, values, errors, defaultZone, saved }: ProfileFormProps) {
  const zones = timeZoneChoices();
  if (values.timeZone && !zones.includes(values.timeZone)) zones.unshift(values.timeZone);
  const error = (field: string) =>
    errors[field] && <span class="error" role="alert">{t(`profile.${errors[field]}`)}</span>;
  return (
    <section class="card narrow">
      <h1>{t("profile.title")}</h1>
      {saved && <p class="notice" role="status">{t("profile.saved")}</p>}
      <form method="post" action="/settings/profile">
        <label>
          {t("profile.name")}
          <input name="name" value={values.name} required maxLength={100} autocomplete="name" />
          {error("name")}
        </label>
        <label>
          {t("profile.locale")}
          <select name="locale">
            {(["ja", "en"] as const).map((l) => (
              <option key={l} value={l} selected={values.locale === l}>{t(`locale.${l}`)}</option>
            ))}
          </select>
          {error("locale")}
        </label>
        <label>
          {t("profile.timeZone")}
          <select name="time_zone">
            <option value="" selected={values.timeZone === ""}>
              {t("profile.timeZoneDefault", { zone: defaultZone })}
            </option>
            {zones.map((z) => (
              <option key={z} value={z} selected={values.timeZone === z}>{z}</option>
            ))}
          </select>
          {error("timeZone")}
        </label>
        <button type="submit">{t("profile.save")}</button>
      </form>
    </section>
  );
}

async function page(
  c: Ctx,
  values: ProfileFormProps["values"],
  errors: ProfileFormProps["errors"] = {},
  status: 200 | 422 = 200,
  signature?: { text: string; error: string },
) {
  const t = c.get("t");
  const { db } = c.get("deps").store;
  const delay = await findSendDelay(db, assertAgent(c).id);
  const ownSignature = signature?.text ?? await findAgentSignature(db, assertAgent(c).id) ?? "";
  return renderPage(
    c,
    t("profile.title"),
    <>
      <ProfileForm
        t={t}
        values={values}
        errors={errors}
        defaultZone={c.get("deps").config.timeZone}
        saved={c.req.query("saved") === "1"}
      />
      <SignatureForm
        t={t}
        signature={ownSignature}
        error={signature?.error}
        saved={c.req.query("signature") === "saved"}
      />
      <SendDelayForm t={t} seconds={delay} />
    </>,
    status,
  );
}

/** Routes under /settings/profile. */
export function profileRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/", (c) => {
    const agent = assertAgent(c);
    return page(c, { name: agent.name, locale: agent.locale, timeZone: agent.timeZone ?? "" });
  });
  app.post("/", async (c) => {
    const form = await c.req.parseBody();
    const values = {
      name: String(form.name ?? "").slice(0, 1000),
      locale: String(form.locale ?? ""),
      timeZone: String(form.time_zone ?? "").slice(0, 100),
    };
    const result = validateProfile(values);
    if (!result.ok) return page(c, values, result.errors, 422);
    const id = assertAgent(c).id;
    await c.get("deps").store.writeTx((tx) => updateAgentProfile(tx, id, result.profile));
    return c.redirect("/settings/profile?saved=1", 303);
  });
  app.post("/signature", async (c) => {
    const text = String((await c.req.parseBody()).signature ?? "");
    try {
      await asAgent(c, (ctx) => setOwnSignature(ctx, { signature: text }));
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      const agent = assertAgent(c);
      const values = { name: agent.name, locale: agent.locale, timeZone: agent.timeZone ?? "" };
      const error = fieldMessage(e, "signature", c.get("t")) ?? "";
      return page(c, values, {}, 422, { text, error });
    }
    return c.redirect("/settings/profile?signature=saved#signature", 303);
  });
  return app;
}
