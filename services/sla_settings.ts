/**
 * Admin edits of business hours and SLA policies. Each commits together with the recompute of
 * the open tickets it affects, so no ticket keeps a deadline from the old hours or targets, and
 * then wakes the scheduler.
 */
import {
  assignDepartmentSchedule,
  deleteSchedule,
  departmentsUsingSchedule,
  findSchedule,
  insertSchedule,
  updateSchedule,
} from "../db/schedules.ts";
import { deleteSlaPolicy, saveSlaPolicy } from "../db/sla_policies.ts";
import { recomputeDepartmentsSla } from "../db/sla.ts";
import type { Priority } from "../domain/priority.ts";
import type { Schedule } from "../domain/schedule.ts";
import type { SlaPolicyInput } from "../domain/sla_policy.ts";
import type { OpContext } from "./context.ts";

type NamedInput = { name: string } & Schedule;

async function recompute(ctx: OpContext, departmentIds: number[]): Promise<void> {
  await recomputeDepartmentsSla(ctx.tx, departmentIds, ctx.now);
  ctx.wake("timers");
}

/** Creates a schedule (departments follow it once assigned); returns its id. */
export async function createSchedule(ctx: OpContext, s: NamedInput): Promise<number> {
  return await insertSchedule(ctx.tx, s, ctx.now);
}

/** Replaces a schedule and recomputes its departments' open tickets; false if it is gone. */
export async function saveSchedule(ctx: OpContext, id: number, s: NamedInput): Promise<boolean> {
  if (!await updateSchedule(ctx.tx, id, s, ctx.now)) return false;
  await recompute(ctx, await departmentsUsingSchedule(ctx.tx, id));
  return true;
}

/** Deletes a schedule; its departments become always open and their tickets are recomputed. */
export async function removeSchedule(ctx: OpContext, id: number): Promise<void> {
  await recompute(ctx, await deleteSchedule(ctx.tx, id));
}

/** Sets the schedule a department follows (null: always open); false if the schedule is gone. */
export async function setDepartmentSchedule(
  ctx: OpContext,
  departmentId: number,
  scheduleId: number | null,
): Promise<boolean> {
  if (scheduleId !== null && !await findSchedule(ctx.tx, scheduleId)) return false;
  await assignDepartmentSchedule(ctx.tx, departmentId, scheduleId);
  await recompute(ctx, [departmentId]);
  return true;
}

/** Saves a department's policy for one priority and recomputes the department's open tickets. */
export async function savePolicy(
  ctx: OpContext,
  departmentId: number,
  priority: Priority,
  p: SlaPolicyInput,
): Promise<void> {
  await saveSlaPolicy(ctx.tx, departmentId, priority, p, ctx.now);
  await recompute(ctx, [departmentId]);
}

/** Deletes a department's policy for one priority; its tickets then have no SLA. */
export async function removePolicy(
  ctx: OpContext,
  departmentId: number,
  priority: Priority,
): Promise<void> {
  await deleteSlaPolicy(ctx.tx, departmentId, priority);
  await recompute(ctx, [departmentId]);
}
