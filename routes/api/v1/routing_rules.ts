/** /api/v1/routing_rules (admins): the ordered routing rules (domain/routing_rules.ts). */
import { Hono } from "hono";
import * as v from "valibot";
import { listRoutingRules } from "../../../db/routing_rules.ts";
import type { RoutingRuleRecord } from "../../../db/routing_rules.ts";
import { NotFoundError } from "../../../domain/errors.ts";
import { PRIORITIES } from "../../../domain/priority.ts";
import type { RoutingActions, RoutingConditions } from "../../../domain/routing_rules.ts";
import { oneOf, text } from "../../../domain/validation.ts";
import { changeRule, createRule, placeRule, removeRule } from "../../../services/routing_rules.ts";
import { requirePermission } from "../../../services/access.ts";
import { type AppEnv, asAgent, assertAgent, type Ctx } from "../../state.ts";
import { intParam } from "../../params.ts";
import { readJson } from "./validate.ts";

const words = v.optional(
  v.pipe(
    v.array(
      v.pipe(v.string(), v.trim(), v.minLength(1, "must not be blank"), v.maxLength(200)),
      "must be a list of words",
    ),
    v.maxLength(50),
  ),
);
const id = v.pipe(v.number(), v.safeInteger(), v.minValue(1));

const Conditions = v.object({
  subject: words,
  body: words,
  sender_domain: words,
  sender_address: words,
  category: words,
}, "must be an object");

const Actions = v.object({
  department_id: v.optional(v.nullable(id)),
  assignee_id: v.optional(v.nullable(id)),
  tag_ids: v.optional(v.array(id, "must be a list of ids")),
  priority: v.optional(v.nullable(oneOf(PRIORITIES))),
}, "must be an object");

const Rule = v.object({
  name: text({ max: 50 }),
  enabled: v.optional(v.boolean("must be true or false")),
  position: v.optional(id),
  conditions: v.optional(Conditions),
  actions: v.optional(Actions),
});

function conditionsOf(c: v.InferOutput<typeof Conditions>): RoutingConditions {
  const out: RoutingConditions = {};
  if (c.subject?.length) out.subject = c.subject;
  if (c.body?.length) out.body = c.body;
  if (c.sender_domain?.length) out.senderDomain = c.sender_domain;
  if (c.sender_address?.length) out.senderAddress = c.sender_address;
  if (c.category?.length) out.category = c.category;
  return out;
}

function actionsOf(a: v.InferOutput<typeof Actions>): RoutingActions {
  const out: RoutingActions = {};
  if (a.department_id) out.departmentId = a.department_id;
  if (a.assignee_id) out.assigneeId = a.assignee_id;
  if (a.tag_ids?.length) out.tagIds = [...new Set(a.tag_ids)];
  if (a.priority) out.priority = a.priority;
  return out;
}

/** A rule as the API shows it. */
export function routingRuleJson(r: RoutingRuleRecord, position: number) {
  const c = r.conditions;
  return {
    id: r.id,
    name: r.name,
    enabled: r.enabled,
    position,
    conditions: {
      subject: c.subject ?? [],
      body: c.body ?? [],
      sender_domain: c.senderDomain ?? [],
      sender_address: c.senderAddress ?? [],
      category: c.category ?? [],
    },
    actions: {
      department_id: r.actions.departmentId ?? null,
      assignee_id: r.actions.assigneeId ?? null,
      tag_ids: r.actions.tagIds ?? [],
      priority: r.actions.priority ?? null,
    },
  };
}

async function ruleJson(c: Ctx, id: number) {
  const rules = await listRoutingRules(c.get("deps").store.db);
  const i = rules.findIndex((r) => r.id === id);
  if (i < 0) throw new NotFoundError("No such rule");
  return routingRuleJson(rules[i], i + 1);
}

/** Routes under /api/v1/routing_rules. */
export function routingRuleApiRoutes() {
  const app = new Hono<AppEnv>();
  app.use(async function adminsOnly(c, next) {
    requirePermission({ kind: "agent", ...assertAgent(c) }, "departments.manage");
    await next();
  });
  app.get("/", async (c) => {
    const rules = await listRoutingRules(c.get("deps").store.db);
    return c.json({ routing_rules: rules.map((r, i) => routingRuleJson(r, i + 1)) });
  });
  app.get("/:id{[0-9]{1,15}}", async (c) => c.json(await ruleJson(c, intParam(c, "id")!)));
  app.post("/", async (c) => {
    const b = await readJson(c, Rule);
    const ruleId = await asAgent(c, async (ctx) => {
      const id = await createRule(ctx, {
        name: b.name ?? "",
        enabled: b.enabled ?? true,
        conditions: conditionsOf(b.conditions ?? {}),
        actions: actionsOf(b.actions ?? {}),
      });
      if (b.position !== undefined) await placeRule(ctx, { id, position: b.position });
      return id;
    });
    c.header("location", `/api/v1/routing_rules/${ruleId}`);
    return c.json(await ruleJson(c, ruleId), 201);
  });
  app.patch("/:id{[0-9]{1,15}}", async (c) => {
    const ruleId = intParam(c, "id")!;
    const b = await readJson(c, Rule);
    await asAgent(c, async (ctx) => {
      await changeRule(ctx, {
        id: ruleId,
        name: b.name,
        enabled: b.enabled,
        conditions: b.conditions && conditionsOf(b.conditions),
        actions: b.actions && actionsOf(b.actions),
      });
      if (b.position !== undefined) await placeRule(ctx, { id: ruleId, position: b.position });
    });
    return c.json(await ruleJson(c, ruleId));
  });
  app.delete("/:id{[0-9]{1,15}}", async (c) => {
    const ruleId = intParam(c, "id")!;
    await asAgent(c, (ctx) => removeRule(ctx, ruleId));
    return c.body(null, 204);
  });
  return app;
}
