/** /api/v1/templates, /api/v1/faq and /api/v1/tickets/:number/suggestions. */
import { Hono } from "hono";
import {
  listVisibleTemplates,
  type ReplyTemplate,
  TEMPLATE_SCOPES,
} from "../../../db/templates.ts";
import { type FaqArticle, findArticle } from "../../../db/faq.ts";
import { createTemplate, editTemplate, visibleTemplate } from "../../../services/templates.ts";
import { createArticle, editArticle, searchArticles } from "../../../services/faq.ts";
import { suggestTemplates } from "../../../services/suggestions.ts";
import { NotFoundError } from "../../../domain/errors.ts";
import { oneOf, parseInput, text, v, wholeNumber } from "../../../domain/validation.ts";
import { type AppEnv, asAgent, assertAgent } from "../../state.ts";
import { intParam, ticketParam } from "../../params.ts";
import { readJson } from "./validate.ts";

const departmentId = v.optional(v.nullable(v.pipe(v.number(), v.integer(), v.minValue(1))));

const NewTemplate = v.object({
  title: text({ required: true, max: 200 }),
  body: text({ required: true, multiline: true, max: 20_000 }),
  category: text({ max: 100 }),
  scope: oneOf(TEMPLATE_SCOPES),
  department_id: departmentId,
});

const ChangeTemplate = v.object({
  title: text({ max: 200 }),
  body: text({ multiline: true, max: 20_000 }),
  category: text({ max: 100 }),
  scope: oneOf(TEMPLATE_SCOPES),
  department_id: departmentId,
});

const NewArticle = v.object({
  title: text({ required: true, max: 200 }),
  body: text({ required: true, multiline: true, max: 50_000 }),
  category: text({ max: 100 }),
  status: oneOf(["draft", "published"] as const),
});

const ChangeArticle = v.object({
  title: text({ max: 200 }),
  body: text({ multiline: true, max: 50_000 }),
  category: text({ max: 100 }),
  status: oneOf(["draft", "published"] as const),
});

const TemplateQuery = v.object({
  category: text({ max: 100 }),
  department_id: wholeNumber({ min: 1, max: 1e12 }),
});
const FaqQuery = v.object({
  q: text({ max: 200 }),
  category: text({ max: 100 }),
  status: oneOf(["draft", "published", "all"] as const),
});

function templateJson(t: ReplyTemplate) {
  return {
    id: t.id,
    title: t.title,
    body: t.body,
    category: t.category,
    scope: t.scope,
    department_id: t.departmentId,
    owner_agent_id: t.ownerAgentId,
    usage_count: t.usageCount,
    created_at: new Date(t.createdAt).toISOString(),
    updated_at: new Date(t.updatedAt).toISOString(),
  };
}

function articleJson(a: FaqArticle) {
  return {
    id: a.id,
    title: a.title,
    body: a.body,
    category: a.category,
    status: a.status,
    views: a.views,
    helpful_yes: a.helpfulYes,
    helpful_no: a.helpfulNo,
    created_at: new Date(a.createdAt).toISOString(),
    updated_at: new Date(a.updatedAt).toISOString(),
    published_at: a.publishedAt === null ? null : new Date(a.publishedAt).toISOString(),
  };
}

/** Routes under /api/v1/templates. */
export function templateApiRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/", async (c) => {
    const q = parseInput(TemplateQuery, c.req.query());
    const templates = await listVisibleTemplates(c.get("deps").store.db, assertAgent(c).id, {
      category: q.category,
      departmentId: q.department_id,
    });
    return c.json({ templates: templates.map(templateJson) });
  });
  app.get("/:id{[0-9]{1,15}}", async (c) => {
    const t = await visibleTemplate(c.get("deps").store.db, assertAgent(c), intParam(c, "id")!);
    return c.json(templateJson(t));
  });
  app.post("/", async (c) => {
    const b = await readJson(c, NewTemplate);
    const id = await asAgent(
      c,
      (ctx) =>
        createTemplate(ctx, { ...b, scope: b.scope ?? "personal", departmentId: b.department_id }),
    );
    const t = await visibleTemplate(c.get("deps").store.db, assertAgent(c), id);
    c.header("location", `/api/v1/templates/${id}`);
    return c.json(templateJson(t), 201);
  });
  app.patch("/:id{[0-9]{1,15}}", async (c) => {
    const id = intParam(c, "id")!;
    const b = await readJson(c, ChangeTemplate);
    await asAgent(c, (ctx) => editTemplate(ctx, id, { ...b, departmentId: b.department_id }));
    return c.json(templateJson(await visibleTemplate(c.get("deps").store.db, assertAgent(c), id)));
  });
  return app;
}

/** Routes under /api/v1/faq (agents: drafts included with status=draft or all). */
export function faqApiRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/", async (c) => {
    const q = parseInput(FaqQuery, c.req.query());
    const status = q.status ?? "all";
    const articles = await searchArticles(c.get("deps").store.db, q.q ?? "", {
      category: q.category,
      drafts: status !== "published",
    });
    const shown = status === "all" ? articles : articles.filter((a) => a.status === status);
    return c.json({ articles: shown.map(articleJson) });
  });
  app.get("/:id{[0-9]{1,15}}", async (c) => {
    const a = await findArticle(c.get("deps").store.db, intParam(c, "id")!);
    if (!a) throw new NotFoundError("No such article");
    return c.json(articleJson(a));
  });
  app.post("/", async (c) => {
    const b = await readJson(c, NewArticle);
    const id = await asAgent(c, (ctx) => createArticle(ctx, b));
    c.header("location", `/api/v1/faq/${id}`);
    return c.json(articleJson((await findArticle(c.get("deps").store.db, id))!), 201);
  });
  app.patch("/:id{[0-9]{1,15}}", async (c) => {
    const id = intParam(c, "id")!;
    const b = await readJson(c, ChangeArticle);
    await asAgent(c, (ctx) => editArticle(ctx, id, b));
    return c.json(articleJson((await findArticle(c.get("deps").store.db, id))!));
  });
  return app;
}

/** GET /api/v1/tickets/:number/suggestions. */
export function suggestionApiRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/:number{[0-9]{1,15}}/suggestions", async (c) => {
    const ticket = await ticketParam(c);
    if (!ticket) throw new NotFoundError("No such ticket");
    const list = await suggestTemplates(c.get("deps").store.db, assertAgent(c), ticket);
    return c.json(list.map((s) => ({
      template_id: s.templateId,
      title: s.title,
      score: s.score,
      terms: s.terms,
    })));
  });
  return app;
}
