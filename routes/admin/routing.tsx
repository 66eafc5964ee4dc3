/** Admin: 自動振り分けルール (/admin/routing) — list, create, edit, reorder, switch, delete. */
import { Hono } from "hono";
import { listAgents } from "../../db/agents.ts";
import { listDepartments } from "../../db/departments.ts";
import { findRoutingRule, listRoutingRules } from "../../db/routing_rules.ts";
import { listTags } from "../../db/tags.ts";
import { ValidationError } from "../../domain/errors.ts";
import type { MessageKey } from "../../domain/i18n/mod.ts";
import { isPriority } from "../../domain/priority.ts";
import { type RoutingRuleForm, ruleFromForm, ruleToForm } from "../../domain/routing_rules.ts";
import { changeRule, createRule, moveRule, removeRule } from "../../services/routing_rules.ts";
import {
  RoutingRuleEdit,
  RoutingRulesPage,
  type RuleChoices,
} from "../../components/RoutingRulesAdmin.tsx";
import { renderPage } from "../render.tsx";
import { type AppEnv, asAgent, type Ctx } from "../state.ts";
import { intParam } from "../params.ts";

async function choices(c: Ctx): Promise<RuleChoices> {
  const { db } = c.get("deps").store;
  const [departments, agents, tags] = await Promise.all([
    listDepartments(db),
    listAgents(db),
    listTags(db),
  ]);
  return { departments, agents, tags };
}

/** The posted form as typed. */
async function readForm(c: Ctx): Promise<RoutingRuleForm> {
  const body = await c.req.parseBody({ all: true });
  const one = (k: string) => {
    const x = body[k];
    const first = Array.isArray(x) ? x[0] : x;
    return typeof first === "string" ? first : "";
  };
  const raw = body.tagIds;
  const tagIds = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw])
    .filter((x): x is string => typeof x === "string");
  return {
    name: one("name").slice(0, 200),
    enabled: one("enabled") === "1",
    subject: one("subject"),
    body: one("body"),
    senderDomain: one("senderDomain"),
    senderAddress: one("senderAddress"),
    category: one("category"),
    departmentId: one("departmentId"),
    assigneeId: one("assigneeId"),
    tagIds,
    priority: one("priority"),
  };
}

/** The service's field problems in the visitor's language. */
function fieldErrors(c: Ctx, e: ValidationError): Record<string, string> {
  const t = c.get("t");
  const known = ["name", "conditions", "actions", "department_id", "assignee_id", "tag_ids"];
  return Object.fromEntries(
    Object.keys(e.fields).map((
      k,
    ) => [k, t(known.includes(k) ? `routing.error.${k}` as MessageKey : "routing.error.invalid")]),
  );
}

async function listPage(
  c: Ctx,
  form: RoutingRuleForm = ruleToForm(null),
  errors: Record<string, string> = {},
) {
  const t = c.get("t");
  const rules = await listRoutingRules(c.get("deps").store.db);
  return renderPage(
    c,
    t("routing.title"),
    <RoutingRulesPage t={t} rules={rules} choices={await choices(c)} form={form} errors={errors} />,
    Object.keys(errors).length ? 422 : 200,
  );
}

async function editPage(
  c: Ctx,
  id: number,
  form: RoutingRuleForm,
  errors: Record<string, string> = {},
) {
  const t = c.get("t");
  return renderPage(
    c,
    t("routing.editTitle"),
    <RoutingRuleEdit
      t={t}
      id={id}
      choices={await choices(c)}
      form={form}
      errors={errors}
      saved={c.req.query("saved") === "1"}
    />,
    Object.keys(errors).length ? 422 : 200,
  );
}

/** Routes under /admin/routing. */
export function routingAdminRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/", (c) => listPage(c));

  app.post("/", async (c) => {
    const form = await readForm(c);
    try {
      await asAgent(c, (ctx) => createRule(ctx, ruleFromForm(form, isPriority)));
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return listPage(c, form, fieldErrors(c, e));
    }
    return c.redirect("/admin/routing", 303);
  });

  app.get("/:id{[0-9]{1,15}}", async (c) => {
    const id = intParam(c, "id")!;
    const rule = await findRoutingRule(c.get("deps").store.db, id);
    if (!rule) return c.notFound();
    return editPage(c, id, ruleToForm(rule));
  });

  app.post("/:id{[0-9]{1,15}}", async (c) => {
    const id = intParam(c, "id")!;
    const form = await readForm(c);
    try {
      await asAgent(c, (ctx) => changeRule(ctx, { id, ...ruleFromForm(form, isPriority) }));
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return editPage(c, id, form, fieldErrors(c, e));
    }
    return c.redirect(`/admin/routing/${id}?saved=1`, 303);
  });

  app.post("/:id{[0-9]{1,15}}/move", async (c) => {
    const id = intParam(c, "id")!;
    const direction = (await c.req.parseBody()).direction === "up" ? "up" : "down";
    await asAgent(c, (ctx) => moveRule(ctx, { id, direction }));
    return c.redirect("/admin/routing", 303);
  });

  app.post("/:id{[0-9]{1,15}}/enabled", async (c) => {
    const id = intParam(c, "id")!;
    const enabled = (await c.req.parseBody()).enabled === "1";
    await asAgent(c, (ctx) => changeRule(ctx, { id, enabled }));
    return c.redirect("/admin/routing", 303);
  });

  app.post("/:id{[0-9]{1,15}}/delete", async (c) => {
    const id = intParam(c, "id")!;
    await asAgent(c, (ctx) => removeRule(ctx, id));
    return c.redirect("/admin/routing", 303);
  });

  return app;
}
