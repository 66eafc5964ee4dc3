/** Admin: SLA policies per department and priority (404 for everyone else). */
import { Hono } from "hono";
import { findDepartment, listDepartments } from "../../db/departments.ts";
import { findSlaPolicy, listSlaPolicies } from "../../db/sla_policies.ts";
import { removePolicy, savePolicy } from "../../services/sla_settings.ts";
import { isPriority, type Priority } from "../../domain/priority.ts";
import {
  type LevelForm,
  NOTIFY_TARGETS,
  type NotifyTarget,
  type PolicyFormErrors,
  policyToForm,
  type SlaPolicyForm,
  validatePolicyForm,
} from "../../domain/sla_policy.ts";
import { renderPage } from "../render.tsx";
import { SlaOverview, SlaPolicyEdit } from "../../components/SlaPolicyEditor.tsx";
import { type AppEnv, asAgent, type Ctx } from "../state.ts";
import type { Translate } from "../../domain/i18n/mod.ts";

type Body = Record<string, string | File | (string | File)[]>;

function readLevel(body: Body, level: "warning" | "breach"): LevelForm {
  const raw = body[`${level}.notify`];
  const ticked = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String);
  return {
    notify: NOTIFY_TARGETS.filter((t: NotifyTarget) => ticked.includes(t)),
    mail: body[`${level}.mail`] === "1",
    raisePriority: body[`${level}.raisePriority`] === "1",
    moveTo: typeof body[`${level}.moveTo`] === "string" ? String(body[`${level}.moveTo`]) : "",
  };
}

function readForm(body: Body): SlaPolicyForm {
  const text = (key: string) => typeof body[key] === "string" ? String(body[key]) : "";
  return {
    firstResponse: text("firstResponse"),
    nextResponse: text("nextResponse"),
    resolution: text("resolution"),
    warningKind: text("warningKind"),
    warningValue: text("warningValue"),
    businessHoursOnly: body.businessHoursOnly === "1",
    warning: readLevel(body, "warning"),
    breach: readLevel(body, "breach"),
  };
}

function translateErrors(t: Translate, errors: PolicyFormErrors): Record<string, string> {
  return Object.fromEntries(
    Object.entries(errors).map((
      [field, code],
    ) => [field, t(`sla.error.${code}` as "sla.error.duration")]),
  );
}

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
    const form = readForm(await c.req.parseBody({ all: true }));
    const departments = await listDepartments(c.get("deps").store.db);
    const { policy, errors } = validatePolicyForm(form, departments.map((d) => d.id));
    if (!policy) {
      return editPage(c, slot, { form, errors: translateErrors(c.get("t"), errors) });
    }
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
