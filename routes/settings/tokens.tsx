/** An agent's API tokens: create (secret shown once) and revoke. */
import { Hono } from "hono";
import { createApiToken, listApiTokens, revokeApiToken } from "../../db/agents.ts";
import { formatDateTime } from "../../components/render.tsx";
import { renderPage } from "../render.tsx";
import { checkInput, text, v } from "../../domain/validation.ts";
import { type AppEnv, assertAgent, type Ctx, displayTimeZone } from "../state.ts";

const TokenForm = v.object({ name: text({ required: true, max: 100 }) });

/** A refused name: what was typed and why, shown beside the field. */
interface Draft {
  name: string;
  error: string;
}

async function page(c: Ctx, created?: string, draft?: Draft) {
  const t = c.get("t");
  const agent = assertAgent(c);
  const { store } = c.get("deps");
  const tokens = await listApiTokens(store.db, agent.id);
  return renderPage(
    c,
    t("tokens.title"),
    <section>
      <h1>{t("tokens.title")}</h1>
      {created && (
        <p class="notice">
          {t("tokens.created")} <code id="new-token">{created}</code>
        </p>
      )}
      <form method="post" action="/settings/tokens" class="inline">
        <input
          name="name"
          placeholder={t("tokens.name")}
          required
          maxLength={100}
          value={draft?.name}
          aria-invalid={draft ? "true" : undefined}
          aria-describedby={draft ? "token-name-error" : undefined}
        />
        <button type="submit">{t("tokens.create")}</button>
        {draft && <span class="error" id="token-name-error">{draft.error}</span>}
      </form>
      <ul>
        {tokens.map((tk) => (
          <li>
            {tk.name} · {formatDateTime(tk.createdAt, displayTimeZone(c), c.get("locale"))}
            {tk.revokedAt
              ? " · revoked"
              : (
                <form method="post" action={`/settings/tokens/${tk.id}/revoke`} class="inline">
                  <button type="submit" class="link">{t("tokens.revoke")}</button>
                </form>
              )}
          </li>
        ))}
      </ul>
    </section>,
    draft ? 422 : 200,
  );
}

/** Routes under /settings/tokens. */
export function tokenRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/", (c) => page(c));
  app.post("/", async (c) => {
    const form = await c.req.parseBody();
    const checked = checkInput(TokenForm, form, c.get("t"));
    if (!checked.ok) {
      return page(c, undefined, { name: String(form.name ?? ""), error: checked.fields.name });
    }
    const { store } = c.get("deps");
    const name = checked.value.name;
    const secret = await store.writeTx((tx) =>
      createApiToken(tx, assertAgent(c).id, name, Date.now())
    );
    // Rendered, not redirected: the secret must never land in a URL or a log.
    return page(c, secret);
  });
  app.post("/:id{[0-9]{1,15}}/revoke", async (c) => {
    const id = Number(c.req.param("id"));
    await c.get("deps").store.writeTx((tx) =>
      revokeApiToken(tx, assertAgent(c).id, id, Date.now())
    );
    return c.redirect("/settings/tokens", 303);
  });
  return app;
}
