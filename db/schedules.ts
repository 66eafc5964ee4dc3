/**
 * Business-hours schedules and which department follows which. Stored as JSON in the shapes of
 * domain/schedule.ts; a department without a schedule is open around the clock.
 */
import type { Db, Tx } from "./client.ts";
import type { Holiday, Schedule, WeeklyHours } from "../domain/schedule.ts";

/** A stored schedule: the domain `Schedule` plus its id and name. */
export interface NamedSchedule extends Schedule {
  id: number;
  name: string;
  updatedAt: number;
}

type ScheduleRow = {
  id: number;
  name: string;
  time_zone: string;
  weekly_json: string;
  holidays_json: string;
  updated_at: number;
};

function toSchedule(row: ScheduleRow): NamedSchedule {
  return {
    id: row.id,
    name: row.name,
    timeZone: row.time_zone,
    weekly: parseJson<WeeklyHours>(row.weekly_json, {}),
    holidays: parseJson<Holiday[]>(row.holidays_json, []),
    updatedAt: row.updated_at,
  };
}

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) ?? fallback;
  } catch {
    return fallback;
  }
}

const COLUMNS = ["id", "name", "time_zone", "weekly_json", "holidays_json", "updated_at"] as const;

/** Every schedule, by name. */
export async function listSchedules(db: Db | Tx): Promise<NamedSchedule[]> {
  const rows = await db.selectFrom("schedules").select(COLUMNS).orderBy("name").orderBy("id")
    .execute();
  return rows.map(toSchedule);
}

/** A schedule by id, or null. */
export async function findSchedule(db: Db | Tx, id: number): Promise<NamedSchedule | null> {
  const row = await db.selectFrom("schedules").select(COLUMNS).where("id", "=", id)
    .executeTakeFirst();
  return row ? toSchedule(row) : null;
}

/** The schedule a department follows, or null when it has none (always open). */
export async function loadDepartmentSchedule(
  db: Db | Tx,
  departmentId: number,
): Promise<Schedule | null> {
  return (await loadDepartmentSchedules(db, [departmentId])).get(departmentId) ?? null;
}

function scheduleValues(s: { name: string } & Schedule) {
  return {
    name: s.name,
    time_zone: s.timeZone,
    weekly_json: JSON.stringify(s.weekly),
    holidays_json: JSON.stringify(s.holidays),
  };
}

/** Creates a schedule (validate it first); returns its id. */
export async function insertSchedule(
  tx: Tx,
  s: { name: string } & Schedule,
  now: number,
): Promise<number> {
  const { id } = await tx.insertInto("schedules")
    .values({ ...scheduleValues(s), created_at: now, updated_at: now })
    .returning("id").executeTakeFirstOrThrow();
  return id;
}

/** Replaces a schedule's name, zone, hours and holidays; false when there is no such schedule. */
export async function updateSchedule(
  tx: Tx,
  id: number,
  s: { name: string } & Schedule,
  now: number,
): Promise<boolean> {
  const r = await tx.updateTable("schedules").set({ ...scheduleValues(s), updated_at: now })
    .where("id", "=", id).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Deletes a schedule; departments that followed it become always open. */
export async function deleteSchedule(tx: Tx, id: number): Promise<number[]> {
  const departments = await departmentsUsingSchedule(tx, id);
  await tx.updateTable("departments").set({ schedule_id: null }).where("schedule_id", "=", id)
    .execute();
  await tx.deleteFrom("schedules").where("id", "=", id).execute();
  return departments;
}

/** Ids of the departments that follow a schedule. */
export async function departmentsUsingSchedule(db: Db | Tx, scheduleId: number): Promise<number[]> {
  const rows = await db.selectFrom("departments").select("id").where("schedule_id", "=", scheduleId)
    .execute();
  return rows.map((r) => r.id);
}

/** Sets (or clears, with null) the schedule a department follows. */
export async function assignDepartmentSchedule(
  tx: Tx,
  departmentId: number,
  scheduleId: number | null,
): Promise<void> {
  await tx.updateTable("departments").set({ schedule_id: scheduleId })
    .where("id", "=", departmentId).execute();
}

/** Each department with the id of the schedule it follows (null: always open). */
export async function listDepartmentSchedules(
  db: Db | Tx,
): Promise<{ id: number; name: string; scheduleId: number | null }[]> {
  return await db.selectFrom("departments").select(["id", "name", "schedule_id as scheduleId"])
    .orderBy("id").execute();
}

/** The schedule of each of some departments (null: always open). */
export async function loadDepartmentSchedules(
  db: Db | Tx,
  departmentIds: number[],
): Promise<Map<number, Schedule | null>> {
  const result = new Map<number, Schedule | null>(departmentIds.map((id) => [id, null]));
  if (departmentIds.length === 0) return result;
  const rows = await db.selectFrom("departments")
    .innerJoin("schedules", "schedules.id", "departments.schedule_id")
    .select([
      "departments.id as departmentId",
      "schedules.id",
      "schedules.name",
      "schedules.time_zone",
      "schedules.weekly_json",
      "schedules.holidays_json",
      "schedules.updated_at",
    ])
    .where("departments.id", "in", departmentIds).execute();
  for (const row of rows) result.set(row.departmentId, toSchedule(row));
  return result;
}
