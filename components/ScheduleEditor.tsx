/** Admin: business-hours schedules — the list with department assignment, and one editor. */
import type { NamedSchedule } from "../db/schedules.ts";
import type { ScheduleForm, ScheduleFormProblem } from "../domain/schedule_form.ts";
import type { PreviewDay } from "../domain/schedule_preview.ts";
import type { Translate } from "../domain/i18n/mod.ts";

export interface ScheduleListProps {
  t: Translate;
  schedules: NamedSchedule[];
  departments: { id: number; name: string; scheduleId: number | null }[];
}

/** Every schedule, and which one each department follows. */
export function ScheduleList({ t, schedules, departments }: ScheduleListProps) {
  const names = new Map(schedules.map((s) => [s.id, s.name]));
  return (
    <section>
      <h1>{t("schedules.title")}</h1>
      <p class="muted">{t("schedules.intro")}</p>
      {schedules.length === 0
        ? <p class="empty">{t("schedules.empty")}</p>
        : (
          <table class="tickets">
            <thead>
              <tr>
                <th>{t("schedules.name")}</th>
                <th>{t("schedules.timeZone")}</th>
                <th>{t("schedules.usedBy")}</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              {schedules.map((s) => (
                <tr key={s.id}>
                  <td>{s.name}</td>
                  <td>{s.timeZone}</td>
                  <td>
                    {departments.filter((d) => d.scheduleId === s.id).map((d) => d.name).join(", ")}
                  </td>
                  <td>
                    <a href={`/admin/schedules/${s.id}`}>{t("schedules.edit")}</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      <p>
        <a href="/admin/schedules/new">{t("schedules.new")}</a>
      </p>
      <h2>{t("schedules.departments")}</h2>
      <table class="tickets">
        <tbody>
          {departments.map((d) => (
            <tr key={d.id}>
              <td>{d.name}</td>
              <td>
                <form method="post" action="/admin/schedules/assign" class="inline">
                  <input type="hidden" name="department" value={d.id} />
                  <select name="schedule" aria-label={d.name}>
                    <option value="" selected={d.scheduleId === null}>
                      {t("schedules.alwaysOpen")}
                    </option>
                    {schedules.map((s) => (
                      <option key={s.id} value={s.id} selected={d.scheduleId === s.id}>
                        {names.get(s.id)}
                      </option>
                    ))}
                  </select>{" "}
                  <button type="submit">{t("schedules.assign")}</button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** A schedule problem in the reader's language: weekday numbers named, a holiday's name added. */
export function scheduleProblemText(t: Translate, { code, params }: ScheduleFormProblem) {
  const vars: Record<string, string | number> = { ...params };
  for (const key of ["weekday", "otherWeekday"]) {
    if (typeof vars[key] === "number") vars[key] = t(`weekday.${vars[key]}` as `weekday.1`);
  }
  if ("name" in params) vars.name = params.name === "" ? "" : ` (${params.name})`;
  // A template literal type: a code without a catalog entry fails the type check.
  return t(`schedules.problem.${code}`, vars);
}

export interface ScheduleEditProps {
  t: Translate;
  /** Null for a new schedule. */
  id: number | null;
  form: ScheduleForm;
  errors: ScheduleFormProblem[];
  zones: string[];
  preview: PreviewDay[] | null;
  saved?: boolean;
}

/** One schedule's editor, its errors, and the next 14 days it opens. */
export function ScheduleEdit({ t, id, form, errors, zones, preview, saved }: ScheduleEditProps) {
  const action = id === null ? "/admin/schedules" : `/admin/schedules/${id}`;
  return (
    <section>
      <p>
        <a href="/admin/schedules">{t("schedules.back")}</a>
      </p>
      <h1>{form.name || t("schedules.new")}</h1>
      {saved && <p class="notice" role="status">{t("schedules.saved")}</p>}
      {errors.length > 0 && (
        <div class="error" role="alert">
          <p>{t("schedules.errors")}</p>
          <ul>
            {errors.map((e, i) => <li key={i}>{scheduleProblemText(t, e)}</li>)}
          </ul>
        </div>
      )}
      <form method="post" action={action} enctype="multipart/form-data" class="card">
        <label>
          {t("schedules.name")}
          <input name="name" value={form.name} required maxLength={100} />
        </label>
        <label>
          {t("schedules.timeZone")}
          <select name="timeZone">
            {zones.map((z) => <option key={z} value={z} selected={z === form.timeZone}>{z}
            </option>)}
          </select>
        </label>
        <fieldset>
          <legend>{t("schedules.hours")}</legend>
          <p class="muted small">{t("schedules.hoursHint")}</p>
          {[1, 2, 3, 4, 5, 6, 7].map((day) => (
            <label key={day} class="day">
              <span class="weekday">{t(`weekday.${day}` as "weekday.1")}</span>
              <input name={`day${day}`} value={form.days[day] ?? ""} maxLength={200} />
            </label>
          ))}
        </fieldset>
        <label>
          {t("schedules.holidays")}
          <span class="muted small">{t("schedules.holidaysHint")}</span>
          <textarea name="holidays" rows={8} cols={80}>{form.holidays}</textarea>
        </label>
        <p class="holiday-presets">
          <span class="muted small">{t("holidays.presetsHint")}</span>{" "}
          <button type="submit" name="preset" value="jp" class="secondary">
            {t("holidays.addJp")}
          </button>{" "}
          <button type="submit" name="preset" value="year-end" class="secondary">
            {t("holidays.addYearEnd")}
          </button>
        </p>
        <label>
          {t("schedules.ics")}
          <input type="file" name="ics" accept=".ics,text/calendar" />
        </label>
        <button type="submit">{t("schedules.save")}</button>
      </form>
      {preview && <Preview t={t} days={preview} zone={form.timeZone} />}
      {id !== null && (
        <form method="post" action={`/admin/schedules/${id}/delete`}>
          <p class="muted small">{t("schedules.deleteHint")}</p>
          <button type="submit">{t("schedules.delete")}</button>
        </form>
      )}
    </section>
  );
}

function Preview({ t, days, zone }: { t: Translate; days: PreviewDay[]; zone: string }) {
  return (
    <section class="preview">
      <h2>{t("schedules.preview", { zone })}</h2>
      <table class="tickets">
        <tbody>
          {days.map((d) => (
            <tr key={d.date} data-date={d.date} class={d.intervals.length ? "" : "closed"}>
              <td>
                {d.date} ({t(`weekday.${d.weekday}` as "weekday.1")})
              </td>
              <td>
                {d.intervals.length === 0
                  ? (d.holiday ? t("schedules.holiday") : t("schedules.closed"))
                  : d.intervals.map((iv) =>
                    `${iv.start}–${iv.end}`
                  ).join(", ")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
