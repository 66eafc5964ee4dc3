/** Admin: after-hours auto-replies and on-duty routing per department (404 for non-admins). */
import { Hono } from "hono";
import { type Department, findDepartment, listDepartments } from "../../db/departments.ts";
import { loadAfterHoursPolicy, saveAfterHoursPolicy } from "../../db/after_hours.ts";
import { loadDepartmentSchedule } from "../../db/schedules.ts";
import {
  type AfterHoursForm,
  DEFAULT_AFTER_HOURS_TEMPLATES,
  readAfterHoursForm,
} from "../../domain/after_hours.ts";
import { shownTemplates } from "../../domain/lang_templates.ts";
import { renderPage } from "../render.tsx";
import { AfterHoursEdit, AfterHoursList } from "../../components/AfterHoursSettings.tsx";
import type { AppEnv, Ctx } from "../state.ts";
import { departmentParam } from "../params.ts";

async function editPage(
  c: Ctx,
  department: Department,
  form: AfterHoursForm,
  errors: Record<string, string> = {},
) {
  const t = c.get("t");
  const { db } = c.get("deps").store;
  const invalid = Object.keys(errors).length + Object.keys(form.unknownPlaceholders).length;
  return renderPage(
    c,
    t("afterHours.title"),
    <AfterHoursEdit
      t={t}
      department={department}
      departments={await listDepartments(db)}
      hasSchedule={await loadDepartmentSchedule(db, department.id) !== null}
      policy={form.policy}
      templates={form.shown}
      errors={errors}
      unknown={form.unknownPlaceholders}
      saved={c.req.query("saved") === "1"}
    />,
    invalid ? 422 : 200,
  );
}

/** Routes under /admin/after-hours. */
export function afterHoursRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/", async (c) => {
    const t = c.get("t");
    const { db } = c.get("deps").store;
    const departments = await listDepartments(db);
    const rows = await Promise.all(departments.map(async (department) => ({
      department,
      policy: await loadAfterHoursPolicy(db, department.id),
      hasSchedule: await loadDepartmentSchedule(db, department.id) !== null,
    })));
    return renderPage(
      c,
      t("afterHours.title"),
      <AfterHoursList t={t} rows={rows} departments={departments} />,
    );
  });

  app.get("/:id{[0-9]{1,15}}", async (c) => {
    const department = await departmentParam(c);
    if (!department) return c.notFound();
    const policy = await loadAfterHoursPolicy(c.get("deps").store.db, department.id);
    const shown = shownTemplates(policy.templates, DEFAULT_AFTER_HOURS_TEMPLATES);
    return editPage(c, department, { policy, shown, unknownPlaceholders: {} });
  });

  app.post("/:id{[0-9]{1,15}}", async (c) => {
    const department = await departmentParam(c);
    if (!department) return c.notFound();
    const { store, now } = c.get("deps");
    const form = readAfterHoursForm(await c.req.parseBody());
    const onDuty = form.policy.onDutyDepartmentId;
    const errors: Record<string, string> = {};
    if (onDuty !== null && (onDuty === department.id || !await findDepartment(store.db, onDuty))) {
      errors.onDuty = "invalid";
    }
    if (Object.keys(errors).length || Object.keys(form.unknownPlaceholders).length) {
      return editPage(c, department, form, errors);
    }
    const at = (now ?? Date.now)();
    await store.writeTx((tx) => saveAfterHoursPolicy(tx, department.id, form.policy, at));
    return c.redirect(`/admin/after-hours/${department.id}?saved=1`, 303);
  });

  return app;
}
