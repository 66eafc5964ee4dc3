/** Admin: business-hours schedules and which department follows which (404 for everyone else). */
import { Hono } from "hono";
import { findSchedule, listDepartmentSchedules, listSchedules } from "../../db/schedules.ts";
import {
  createSchedule,
  removeSchedule,
  saveSchedule,
  setDepartmentSchedule,
} from "../../services/sla_settings.ts";
import { timeZoneChoices } from "../../domain/agent_profile.ts";
import { parseIcsHolidays } from "../../domain/schedule.ts";
import {
  formatHoliday,
  HOLIDAY_PRESETS,
  type HolidayPreset,
  parseScheduleForm,
  type ScheduleForm,
  type ScheduleFormProblem,
  scheduleToForm,
  withHolidayPreset,
} from "../../domain/schedule_form.ts";
import { openingPreview } from "../../domain/schedule_preview.ts";
import { renderPage } from "../render.tsx";
import { ScheduleEdit, ScheduleList } from "../../components/ScheduleEditor.tsx";
import { type AppEnv, asAgent, type Ctx } from "../state.ts";

const WEEKDAYS_9_TO_18 = [
  "",
  "09:00-18:00",
  "09:00-18:00",
  "09:00-18:00",
  "09:00-18:00",
  "09:00-18:00",
  "",
  "",
];

function editPage(
  c: Ctx,
  id: number | null,
  form: ScheduleForm,
  state: { errors?: ScheduleFormProblem[]; saved?: boolean } = {},
) {
  const t = c.get("t");
  const errors = state.errors ?? [];
  // The preview shows what is saved or typed, as long as it computes.
  const parsed = parseScheduleForm(form);
  const now = (c.get("deps").now ?? Date.now)();
  const zones = timeZoneChoices();
  if (!zones.includes(form.timeZone)) zones.unshift(form.timeZone);
  return renderPage(
    c,
    t("schedules.title"),
    <ScheduleEdit
      t={t}
      id={id}
      form={form}
      errors={errors}
      zones={zones}
      preview={parsed.schedule ? openingPreview(parsed.schedule, now) : null}
      saved={state.saved}
    />,
    errors.length > 0 ? 422 : 200,
  );
}

/** The posted editor, with the holidays of an uploaded iCalendar file appended. */
async function readForm(c: Ctx): Promise<{ form: ScheduleForm; errors: ScheduleFormProblem[] }> {
  const body = await c.req.parseBody();
  const text = (key: string) => typeof body[key] === "string" ? body[key] as string : "";
  const form: ScheduleForm = {
    name: text("name"),
    timeZone: text("timeZone"),
    days: ["", ...[1, 2, 3, 4, 5, 6, 7].map((d) => text(`day${d}`))],
    holidays: text("holidays"),
  };
  // A one-click holiday set: added to what was typed, then saved like any edit.
  const preset = text("preset");
  if (Object.hasOwn(HOLIDAY_PRESETS, preset)) {
    form.holidays = withHolidayPreset(form.holidays, preset as HolidayPreset);
  }
  const ics = body.ics;
  if (ics instanceof File && ics.size > 0) {
    const imported = parseIcsHolidays(await ics.text());
    if (imported.length === 0) {
      return { form, errors: [{ code: "ics-empty", params: { file: ics.name } }] };
    }
    form.holidays = [form.holidays.trimEnd(), ...imported.map(formatHoliday)].filter(Boolean)
      .join("\n");
  }
  return { form, errors: [] };
}

/** Routes under /admin/schedules. */
export function scheduleRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/", async (c) => {
    const { db } = c.get("deps").store;
    const t = c.get("t");
    const [schedules, departments] = await Promise.all([
      listSchedules(db),
      listDepartmentSchedules(db),
    ]);
    return renderPage(
      c,
      t("schedules.title"),
      <ScheduleList t={t} schedules={schedules} departments={departments} />,
    );
  });

  app.get("/new", (c) =>
    editPage(c, null, {
      name: "",
      timeZone: c.get("deps").config.timeZone,
      days: WEEKDAYS_9_TO_18,
      holidays: "",
    }));

  app.post("/", async (c) => {
    const { form, errors } = await readForm(c);
    const parsed = parseScheduleForm(form);
    if (errors.length > 0 || !parsed.schedule) {
      return editPage(c, null, form, { errors: [...errors, ...parsed.errors] });
    }
    const schedule = parsed.schedule;
    const id = await asAgent(c, (ctx) => createSchedule(ctx, schedule));
    return c.redirect(`/admin/schedules/${id}?saved=1`, 303);
  });

  app.post("/assign", async (c) => {
    const body = await c.req.parseBody();
    const departmentId = Number(body.department);
    const scheduleId = body.schedule === "" ? null : Number(body.schedule);
    if (!Number.isSafeInteger(departmentId)) return c.notFound();
    if (scheduleId !== null && !Number.isSafeInteger(scheduleId)) return c.notFound();
    await asAgent(c, (ctx) => setDepartmentSchedule(ctx, departmentId, scheduleId));
    return c.redirect("/admin/schedules", 303);
  });

  app.get("/:id{[0-9]{1,15}}", async (c) => {
    const schedule = await findSchedule(c.get("deps").store.db, Number(c.req.param("id")));
    if (!schedule) return c.notFound();
    return editPage(c, schedule.id, scheduleToForm(schedule), {
      saved: c.req.query("saved") === "1",
    });
  });

  app.post("/:id{[0-9]{1,15}}", async (c) => {
    const id = Number(c.req.param("id"));
    if (!await findSchedule(c.get("deps").store.db, id)) return c.notFound();
    const { form, errors } = await readForm(c);
    const parsed = parseScheduleForm(form);
    if (errors.length > 0 || !parsed.schedule) {
      return editPage(c, id, form, { errors: [...errors, ...parsed.errors] });
    }
    const schedule = parsed.schedule;
    if (!await asAgent(c, (ctx) => saveSchedule(ctx, id, schedule))) return c.notFound();
    return c.redirect(`/admin/schedules/${id}?saved=1`, 303);
  });

  app.post("/:id{[0-9]{1,15}}/delete", async (c) => {
    const id = Number(c.req.param("id"));
    if (!await findSchedule(c.get("deps").store.db, id)) return c.notFound();
    await asAgent(c, (ctx) => removeSchedule(ctx, id));
    return c.redirect("/admin/schedules", 303);
  });

  return app;
}
