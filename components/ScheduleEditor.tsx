/** Admin: business-hours schedules — the list with department assignment, and one editor. */
import type { NamedSchedule } from "../db/schedules.ts";
import type { ScheduleForm, ScheduleFormProblem } from "../domain/schedule_form.ts";
import type { PreviewDay } from "../domain/schedule_preview.ts";
import type { SlaTranslate } from "./i18n_sla.ts";

export interface ScheduleListProps {
  st: SlaTranslate;
  schedules: NamedSchedule[];
  departments: { id: number; name: string; scheduleId: number | null }[];
}

/** Every schedule, and which one each department follows. */
export function ScheduleList({ st, schedules, departments }: ScheduleListProps) {
  const names = new Map(schedules.map((s) => [s.id, s.name]));
  return (
    <section>
      <h1>{st("schedules.title")}</h1>
      <p class="muted">{st("schedules.intro")}</p>
      {schedules.length === 0
        ? <p class="empty">{st("schedules.empty")}</p>
        : (
          <table class="tickets">
            <thead>
              <tr>
                <th>{st("schedules.name")}</th>
                <th>{st("schedules.timeZone")}</th>
                <th>{st("schedules.usedBy")}</th>
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
                    <a href={`/admin/schedules/${s.id}`}>{st("schedules.edit")}</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      <p>
        <a href="/admin/schedules/new">{st("schedules.new")}</a>
      </p>
      <h2>{st("schedules.departments")}</h2>
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
                      {st("schedules.alwaysOpen")}
                    </option>
                    {schedules.map((s) => (
                      <option key={s.id} value={s.id} selected={d.scheduleId === s.id}>
                        {names.get(s.id)}
                      </option>
                    ))}
                  </select>{" "}
                  <button type="submit">{st("schedules.assign")}</button>
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
export function scheduleProblemText(st: SlaTranslate, { code, params }: ScheduleFormProblem) {
  const vars: Record<string, string | number> = { ...params };
  for (const key of ["weekday", "otherWeekday"]) {
    if (typeof vars[key] === "number") vars[key] = st(`weekday.${vars[key]}` as `weekday.1`);
  }
  if ("name" in params) vars.name = params.name === "" ? "" : ` (${params.name})`;
  // A template literal type: a code without a catalog entry fails the type check.
  return st(`schedules.problem.${code}`, vars);
}

export interface ScheduleEditProps {
  st: SlaTranslate;
  /** Null for a new schedule. */
  id: number | null;
  form: ScheduleForm;
  errors: ScheduleFormProblem[];
  zones: string[];
  preview: PreviewDay[] | null;
  saved?: boolean;
}

/** One schedule's editor, its errors, and the next 14 days it opens. */
export function ScheduleEdit({ st, id, form, errors, zones, preview, saved }: ScheduleEditProps) {
  const action = id === null ? "/admin/schedules" : `/admin/schedules/${id}`;
  return (
    <section>
      <p>
        <a href="/admin/schedules">{st("schedules.back")}</a>
      </p>
      <h1>{form.name || st("schedules.new")}</h1>
      {saved && <p class="notice" role="status">{st("schedules.saved")}</p>}
      {errors.length > 0 && (
        <div class="error" role="alert">
          <p>{st("schedules.errors")}</p>
          <ul>
            {errors.map((e, i) => <li key={i}>{scheduleProblemText(st, e)}</li>)}
          </ul>
        </div>
      )}
      <form method="post" action={action} enctype="multipart/form-data" class="card">
        <label>
          {st("schedules.name")}
          <input name="name" value={form.name} required maxLength={100} />
        </label>
        <label>
          {st("schedules.timeZone")}
          <select name="timeZone">
            {zones.map((z) => <option key={z} value={z} selected={z === form.timeZone}>{z}
            </option>)}
          </select>
        </label>
        <fieldset>
          <legend>{st("schedules.hours")}</legend>
          <p class="muted small">{st("schedules.hoursHint")}</p>
          {[1, 2, 3, 4, 5, 6, 7].map((day) => (
            <label key={day} class="day">
              <span class="weekday">{st(`weekday.${day}` as "weekday.1")}</span>
              <input name={`day${day}`} value={form.days[day] ?? ""} maxLength={200} />
            </label>
          ))}
        </fieldset>
        <label>
          {st("schedules.holidays")}
          <span class="muted small">{st("schedules.holidaysHint")}</span>
          <textarea name="holidays" rows={8} cols={80}>{form.holidays}</textarea>
        </label>
        <label>
          {st("schedules.ics")}
          <input type="file" name="ics" accept=".ics,text/calendar" />
        </label>
        <button type="submit">{st("schedules.save")}</button>
      </form>
      {preview && <Preview st={st} days={preview} zone={form.timeZone} />}
      {id !== null && (
        <form method="post" action={`/admin/schedules/${id}/delete`}>
          <p class="muted small">{st("schedules.deleteHint")}</p>
          <button type="submit">{st("schedules.delete")}</button>
        </form>
      )}
    </section>
  );
}

function Preview({ st, days, zone }: { st: SlaTranslate; days: PreviewDay[]; zone: string }) {
  return (
    <section class="preview">
      <h2>{st("schedules.preview", { zone })}</h2>
      <table class="tickets">
        <tbody>
          {days.map((d) => (
            <tr key={d.date} data-date={d.date} class={d.intervals.length ? "" : "closed"}>
              <td>
                {d.date} ({st(`weekday.${d.weekday}` as "weekday.1")})
              </td>
              <td>
                {d.intervals.length === 0
                  ? (d.holiday ? st("schedules.holiday") : st("schedules.closed"))
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
