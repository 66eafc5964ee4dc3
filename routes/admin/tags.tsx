/** Admin: タグ (/admin/tags) — the tags agents put on tickets, with their colours. */
import { Hono } from "hono";
import { listTags } from "../../db/tags.ts";
import type { Tag } from "../../db/tags.ts";
import type { Translate } from "../../domain/i18n/mod.ts";
import { removeTag, saveTag } from "../../services/tags.ts";
import { renderPage } from "../render.tsx";
import { type AppEnv, asAgent } from "../state.ts";
import { intParam } from "../params.ts";

function TagsPage({ t, tags }: { t: Translate; tags: Tag[] }) {
  return (
    <section class="card narrow">
      <h1>{t("team.tags.title")}</h1>
      <ul class="tag-list">
        {tags.map((g) => (
          <li key={g.id}>
            <span class="tag-chip" style={`--tag:${g.color}`}>{g.name}</span>{" "}
            <form method="post" action={`/admin/tags/${g.id}/delete`} class="inline">
              <button type="submit" class="link">{t("team.tags.delete")}</button>
            </form>
          </li>
        ))}
      </ul>
      <form method="post" action="/admin/tags">
        <label>
          {t("team.tags.name")} <input name="name" required maxLength={50} />
        </label>
        <label>
          {t("team.tags.color")} <input name="color" type="color" value="#3366cc" />
        </label>
        <button type="submit">{t("team.tags.add")}</button>
      </form>
    </section>
  );
}

/** Routes under /admin/tags. */
export function tagAdminRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/", async (c) =>
    renderPage(
      c,
      c.get("t")("team.tags.title"),
      <TagsPage t={c.get("t")} tags={await listTags(c.get("deps").store.db)} />,
    ));
  app.post("/", async (c) => {
    const form = await c.req.parseBody();
    await asAgent(
      c,
      (ctx) => saveTag(ctx, { name: String(form.name ?? ""), color: String(form.color ?? "") }),
    );
    return c.redirect("/admin/tags", 303);
  });
  app.post("/:id{[0-9]{1,15}}/delete", async (c) => {
    const id = intParam(c, "id")!;
    await asAgent(c, (ctx) => removeTag(ctx, id));
    return c.redirect("/admin/tags", 303);
  });
  return app;
}
