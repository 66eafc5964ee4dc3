/** Admin: SLA policies per department and priority (404 for everyone else). */
import { Hono } from "hono";
import { findDepartment, listDepartments } from "../../db/departments.ts";
import { findSlaPolicy, listSlaPolicies } from "../../db/sla_policies.ts";
import { removePolicy, savePolicy } from "../../services/sla_settings.ts";
import { isPriority, type Priority } from "../../domain/priority.ts";
import {
  policyToForm,
  SlaPolicyFields,
  type SlaPolicyForm,
  slaPolicySchema,
} from "../../domain/sla_policy.ts";
import { checkInput, v } from "../../domain/validation.ts";
import { renderPage } from "../render.tsx";
import { SlaOverview, SlaPolicyEdit } from "../../components/SlaPolicyEditor.tsx";
import { type AppEnv, asAgent, type Ctx } from "../state.ts";

async function target(
  c: Ctx,
): Promise<{ department: { id: number; name: string }; priority: Priority } | null> {
  const priority = c.req.param("priority");
  const department = await findDepartment(
    c.get("deps").store.db,
    Number(c.req.param("department")),
  );
  return department && isPriority(priority) ? { department, priority } : null;
}

async function editPage(
  c: Ctx,
  slot: { department: { id: number; name: string }; priority: Priority },
  state: { form?: SlaPolicyForm; errors?: Record<string, string>; saved?: boolean } = {},
) {
  const { db } = c.get("deps").store;
  const t = c.get("t");
  const existing = await findSlaPolicy(db, slot.department.id, slot.priority);
  const errors = state.errors ?? {};
  return renderPage(
    c,
    t("sla.title"),
    <SlaPolicyEdit
      t={t}
      department={slot.department}
      priority={slot.priority}
      departments={await listDepartments(db)}
      form={state.form ?? policyToForm(existing)}
      errors={errors}
      exists={existing !== null}
      saved={state.saved}
    />,
    Object.keys(errors).length > 0 ? 422 : 200,
  );
}

/** Routes under /admin/sla. */
export function slaRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/", async (c) => {
    const { db } = c.get("deps").store;
    const t = c.get("t");
    const [departments, policies] = await Promise.all([listDepartments(db), listSlaPolicies(db)]);
    return renderPage(
      c,
      t("sla.title"),
      <SlaOverview t={t} departments={departments} policies={policies} />,
    );
  });

  app.get("/:department{[0-9]{1,15}}/:priority", async (c) => {
    const slot = await target(c);
    if (!slot) return c.notFound();
    return editPage(c, slot, { saved: c.req.query("saved") === "1" });
  });

  app.post("/:department{[0-9]{1,15}}/:priority", async (c) => {
    const slot = await target(c);
    if (!slot) return c.notFound();
    const form = v.parse(SlaPolicyFields, await c.req.parseBody({ all: true }));
    const departments = await listDepartments(c.get("deps").store.db);
    const checked = checkInput(slaPolicySchema(departments.map((d) => d.id)), form, c.get("t"));
    if (!checked.ok) return editPage(c, slot, { form, errors: checked.fields });
    const policy = checked.value;
    await asAgent(c, (ctx) => savePolicy(ctx, slot.department.id, slot.priority, policy));
    return c.redirect(`/admin/sla/${slot.department.id}/${slot.priority}?saved=1`, 303);
  });

  app.post("/:department{[0-9]{1,15}}/:priority/delete", async (c) => {
    const slot = await target(c);
    if (!slot) return c.notFound();
    await asAgent(c, (ctx) => removePolicy(ctx, slot.department.id, slot.priority));
    return c.redirect("/admin/sla", 303);
  });

  return app;
}
