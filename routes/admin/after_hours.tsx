/** Admin: after-hours auto-replies and on-duty routing per department (404 for non-admins). */
import { Hono } from "hono";
import { type Department, listDepartments } from "../../db/departments.ts";
import { loadAfterHoursPolicy, saveAfterHoursPolicy } from "../../db/after_hours.ts";
import { loadDepartmentSchedule } from "../../db/schedules.ts";
import {
  afterHoursForm,
  type AfterHoursPolicy,
  DEFAULT_AFTER_HOURS_TEMPLATES,
} from "../../domain/after_hours.ts";
import type { Lang } from "../../domain/inquiry_form.ts";
import type { MailTemplate } from "../../domain/mail_template.ts";
import { shownTemplates, typedTemplates } from "../../domain/lang_templates.ts";
import { checkInput } from "../../domain/validation.ts";
import { renderPage } from "../render.tsx";
import { AfterHoursEdit, AfterHoursList } from "../../components/AfterHoursSettings.tsx";
import type { AppEnv, Ctx } from "../state.ts";
import { departmentParam } from "../params.ts";

/** What the edit page shows: the choices, the template texts, and problems by field. */
interface EditForm {
  policy: Pick<AfterHoursPolicy, "autoReply" | "onDutyDepartmentId">;
  shown: Record<Lang, MailTemplate>;
  errors: Record<string, string>;
}

async function editPage(c: Ctx, department: Department, form: EditForm) {
  const t = c.get("t");
  const { db } = c.get("deps").store;
  const invalid = Object.keys(form.errors).length > 0;
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
      errors={form.errors}
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
    return editPage(c, department, { policy, shown, errors: {} });
  });

  app.post("/:id{[0-9]{1,15}}", async (c) => {
    const department = await departmentParam(c);
    if (!department) return c.notFound();
    const { store, now } = c.get("deps");
    const others = (await listDepartments(store.db)).filter((d) => d.id !== department.id);
    const posted = await c.req.parseBody();
    const form = checkInput(afterHoursForm(others.map((d) => d.id)), posted, c.get("t"));
    if (!form.ok) {
      const onDuty = Number(posted.on_duty);
      return editPage(c, department, {
        policy: {
          autoReply: posted.auto_reply === "on",
          onDutyDepartmentId: others.some((d) => d.id === onDuty) ? onDuty : null,
        },
        shown: typedTemplates(posted, DEFAULT_AFTER_HOURS_TEMPLATES),
        errors: form.fields,
      });
    }
    const policy = form.value;
    const at = (now ?? Date.now)();
    await store.writeTx((tx) => saveAfterHoursPolicy(tx, department.id, policy, at));
    return c.redirect(`/admin/after-hours/${department.id}?saved=1`, 303);
  });

  return app;
}
