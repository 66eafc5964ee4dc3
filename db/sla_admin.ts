/**
 * Admin edits of business hours and SLA policies. Each commits together with the recompute of
 * the open tickets it affects, so no ticket keeps a deadline from the old hours or targets, and
 * then nudges the scheduler.
 */
import type { Store } from "./client.ts";
import {
  assignDepartmentSchedule,
  deleteSchedule,
  departmentsUsingSchedule,
  findSchedule,
  insertSchedule,
  updateSchedule,
} from "./schedules.ts";
import { deleteSlaPolicy, saveSlaPolicy } from "./sla_policies.ts";
import { recomputeDepartmentsSla } from "./sla.ts";
import type { Priority } from "../domain/priority.ts";
import type { Schedule } from "../domain/schedule.ts";
import type { SlaPolicyInput } from "../domain/sla_policy.ts";
import { wakeLoops } from "../loops/wakeups.ts";

type NamedInput = { name: string } & Schedule;

/** Creates a schedule (departments follow it once assigned); returns its id. */
export async function createSchedule(store: Store, s: NamedInput, now = Date.now()) {
  return await store.writeTx((tx) => insertSchedule(tx, s, now));
}

/** Replaces a schedule and recomputes its departments' open tickets; false if it is gone. */
export async function saveSchedule(store: Store, id: number, s: NamedInput, now = Date.now()) {
  const found = await store.writeTx(async (tx) => {
    if (!await updateSchedule(tx, id, s, now)) return false;
    await recomputeDepartmentsSla(tx, await departmentsUsingSchedule(tx, id), now);
    return true;
  });
  if (found) wakeLoops("timers");
  return found;
}

/** Deletes a schedule; its departments become always open and their tickets are recomputed. */
export async function removeSchedule(store: Store, id: number, now = Date.now()) {
  await store.writeTx(async (tx) => {
    await recomputeDepartmentsSla(tx, await deleteSchedule(tx, id), now);
  });
  wakeLoops("timers");
}

/** Sets the schedule a department follows (null: always open); false if the schedule is gone. */
export async function setDepartmentSchedule(
  store: Store,
  departmentId: number,
  scheduleId: number | null,
  now = Date.now(),
) {
  const ok = await store.writeTx(async (tx) => {
    if (scheduleId !== null && !await findSchedule(tx, scheduleId)) return false;
    await assignDepartmentSchedule(tx, departmentId, scheduleId);
    await recomputeDepartmentsSla(tx, [departmentId], now);
    return true;
  });
  if (ok) wakeLoops("timers");
  return ok;
}

/** Saves a department's policy for one priority and recomputes the department's open tickets. */
export async function savePolicy(
  store: Store,
  departmentId: number,
  priority: Priority,
  p: SlaPolicyInput,
  now = Date.now(),
) {
  await store.writeTx(async (tx) => {
    await saveSlaPolicy(tx, departmentId, priority, p, now);
    await recomputeDepartmentsSla(tx, [departmentId], now);
  });
  wakeLoops("timers");
}

/** Deletes a department's policy for one priority; its tickets then have no SLA. */
export async function removePolicy(
  store: Store,
  departmentId: number,
  priority: Priority,
  now = Date.now(),
) {
  await store.writeTx(async (tx) => {
    await deleteSlaPolicy(tx, departmentId, priority);
    await recomputeDepartmentsSla(tx, [departmentId], now);
  });
  wakeLoops("timers");
}
