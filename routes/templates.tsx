/** /templates: reply templates (定型文) — list, create, edit with preview, delete, save a reply. */
import { Hono } from "hono";
import { listVisibleTemplates, TEMPLATE_SCOPES, type TemplateScope } from "../db/templates.ts";
import { listDepartments } from "../db/departments.ts";
import {
  canEditTemplate,
  createTemplate,
  editTemplate,
  removeTemplate,
  saveReplyAsTemplate,
  type TemplateInput,
  visibleTemplate,
} from "../services/templates.ts";
import { fillTemplate, PREVIEW_VALUES } from "../domain/template_vars.ts";
import { ValidationError } from "../domain/errors.ts";
import {
  TemplateEditor,
  type TemplateEditorProps,
  TemplateList,
} from "../components/TemplatePages.tsx";
import { renderPage } from "./render.tsx";
import { type AppEnv, asAgent, assertAgent, type Ctx } from "./state.ts";
import { intParam } from "./params.ts";

/** The template form's fields as the service takes them. */
export function templateForm(form: Record<string, unknown>): TemplateInput {
  const scope = TEMPLATE_SCOPES.includes(form.scope as TemplateScope)
    ? form.scope as TemplateScope
    : "personal";
  const dept = Number(form.department_id);
  return {
    title: String(form.title ?? "").slice(0, 200),
    body: String(form.body ?? "").slice(0, 20_000),
    category: String(form.category ?? "").slice(0, 100),
    scope,
    departmentId: Number.isSafeInteger(dept) && dept > 0 ? dept : null,
  };
}

async function categoriesOf(c: Ctx) {
  const all = await listVisibleTemplates(c.get("deps").store.db, assertAgent(c).id);
  return [...new Set(all.map((t) => t.category).filter(Boolean))].sort();
}

async function showEditor(
  c: Ctx,
  p: Omit<TemplateEditorProps, "t" | "departments" | "categories" | "preview">,
  status: 200 | 422 = 200,
) {
  const t = c.get("t");
  const preview = fillTemplate(p.values.body, PREVIEW_VALUES[c.get("locale")]);
  return renderPage(
    c,
    p.template ? t("templates.edit") : t("templates.new"),
    <TemplateEditor
      t={t}
      departments={await listDepartments(c.get("deps").store.db)}
      categories={await categoriesOf(c)}
      preview={preview}
      {...p}
    />,
    status,
  );
}

function invalid(c: Ctx, e: ValidationError) {
  const fields = Object.entries(e.fields).map(([k, v]) => `${k}: ${v}`).join(", ");
  return c.get("t")("templates.invalid", { fields: fields || e.message });
}

/** Routes under /templates. */
export function templateRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/", async (c) => {
    const agent = assertAgent(c);
    const { db } = c.get("deps").store;
    const category = c.req.query("category") ?? null;
    const templates = await listVisibleTemplates(db, agent.id, {
      category: category ?? undefined,
    });
    return renderPage(
      c,
      c.get("t")("templates.title"),
      <TemplateList
        t={c.get("t")}
        templates={templates}
        categories={await categoriesOf(c)}
        category={category}
        departments={await listDepartments(db)}
      />,
    );
  });

  app.get("/new", (c) =>
    showEditor(c, {
      values: { title: "", body: "", category: "", scope: "personal", departmentId: null },
      editable: true,
    }));

  app.post("/", async (c) => {
    const input = templateForm(await c.req.parseBody());
    try {
      const id = await asAgent(c, (ctx) => createTemplate(ctx, input));
      return c.redirect(`/templates/${id}?saved=1`, 303);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return showEditor(c, {
        values: {
          ...input,
          category: input.category ?? "",
          departmentId: input.departmentId ?? null,
        },
        editable: true,
        error: invalid(c, e),
      }, 422);
    }
  });

  app.get("/:id{[0-9]{1,15}}", async (c) => {
    const agent = assertAgent(c);
    const template = await visibleTemplate(c.get("deps").store.db, agent, intParam(c, "id")!);
    return showEditor(c, {
      template,
      values: template,
      editable: canEditTemplate(agent, template),
      saved: c.req.query("saved") === "1",
    });
  });

  app.post("/:id{[0-9]{1,15}}", async (c) => {
    const agent = assertAgent(c);
    const id = intParam(c, "id")!;
    const template = await visibleTemplate(c.get("deps").store.db, agent, id);
    const input = templateForm(await c.req.parseBody());
    try {
      await asAgent(c, (ctx) => editTemplate(ctx, id, input));
      return c.redirect(`/templates/${id}?saved=1`, 303);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return showEditor(c, {
        template,
        values: {
          ...input,
          category: input.category ?? "",
          departmentId: input.departmentId ?? null,
        },
        editable: true,
        error: invalid(c, e),
      }, 422);
    }
  });

  app.post("/:id{[0-9]{1,15}}/delete", async (c) => {
    await asAgent(c, (ctx) => removeTemplate(ctx, intParam(c, "id")!));
    return c.redirect("/templates", 303);
  });

  // "Save this reply as a template": a personal copy, opened in the editor to be generalised.
  app.post("/from-message/:id{[0-9]{1,15}}", async (c) => {
    const id = await asAgent(c, (ctx) => saveReplyAsTemplate(ctx, intParam(c, "id")!));
    return c.redirect(`/templates/${id}`, 303);
  });

  return app;
}
