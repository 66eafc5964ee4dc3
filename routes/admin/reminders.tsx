/** Admin: reminders and auto-close per department (404 for everyone else, like all of /admin). */
import { Hono } from "hono";
import { listDepartments } from "../../db/departments.ts";
import { loadReminderPolicy, saveReminderPolicy } from "../../db/reminder_settings.ts";
import { DEFAULT_REMINDER_TEMPLATES, ReminderForm } from "../../domain/reminder_policy.ts";
import { shownTemplates, typedTemplates } from "../../domain/lang_templates.ts";
import { checkInput } from "../../domain/validation.ts";
import { renderPage } from "../render.tsx";
import {
  ReminderEdit,
  type ReminderFields,
  reminderFields,
  ReminderList,
} from "../../components/ReminderSettings.tsx";
import type { AppEnv } from "../state.ts";
import { departmentParam } from "../params.ts";

/** Routes under /admin/reminders. */
export function reminderSettingsRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/", async (c) => {
    const t = c.get("t");
    const { db } = c.get("deps").store;
    const rows = await Promise.all(
      (await listDepartments(db)).map(async (department) => ({
        department,
        policy: await loadReminderPolicy(db, department.id),
      })),
    );
    return renderPage(c, t("reminders.title"), <ReminderList t={t} rows={rows} />);
  });

  app.get("/:id{[0-9]{1,15}}", async (c) => {
    const department = await departmentParam(c);
    if (!department) return c.notFound();
    const t = c.get("t");
    const policy = await loadReminderPolicy(c.get("deps").store.db, department.id);
    return renderPage(
      c,
      t("reminders.title"),
      <ReminderEdit
        t={t}
        department={department}
        values={reminderFields(policy)}
        templates={shownTemplates(policy.templates, DEFAULT_REMINDER_TEMPLATES)}
        errors={{}}
        saved={c.req.query("saved") === "1"}
      />,
    );
  });

  app.post("/:id{[0-9]{1,15}}", async (c) => {
    const department = await departmentParam(c);
    if (!department) return c.notFound();
    const t = c.get("t");
    const { store, now } = c.get("deps");
    const posted = await c.req.parseBody();
    const form = checkInput(ReminderForm, posted, t);
    if (!form.ok) {
      const typed = (name: string) => typeof posted[name] === "string" ? String(posted[name]) : "";
      const values: ReminderFields = {
        enabled: posted.enabled === "on",
        after_days: typed("after_days"),
        max_reminders: typed("max_reminders"),
        final_after_days: typed("final_after_days"),
        final_action: typed("final_action"),
      };
      return renderPage(
        c,
        t("reminders.title"),
        <ReminderEdit
          t={t}
          department={department}
          values={values}
          templates={typedTemplates(posted, DEFAULT_REMINDER_TEMPLATES)}
          errors={form.fields}
          saved={false}
        />,
        422,
      );
    }
    const policy = form.value;
    const at = (now ?? Date.now)();
    await store.writeTx((tx) => saveReminderPolicy(tx, department.id, policy, at));
    return c.redirect(`/admin/reminders/${department.id}?saved=1`, 303);
  });

  return app;
}
