/** SLA policies per department and priority. */
import type { Db, Tx } from "./client.ts";
import { isPriority, type Priority } from "../domain/priority.ts";
import {
  parseEscalationActions,
  type SlaPolicy,
  type SlaPolicyInput,
} from "../domain/sla_policy.ts";

const COLUMNS = [
  "id",
  "department_id",
  "priority",
  "first_response_minutes",
  "next_response_minutes",
  "resolution_minutes",
  "warning_kind",
  "warning_value",
  "actions_json",
  "business_hours_only",
] as const;

type PolicyRow = {
  id: number;
  department_id: number;
  priority: string;
  first_response_minutes: number | null;
  next_response_minutes: number | null;
  resolution_minutes: number | null;
  warning_kind: string;
  warning_value: number;
  actions_json: string;
  business_hours_only: number;
};

function toPolicy(r: PolicyRow): SlaPolicy {
  return {
    id: r.id,
    departmentId: r.department_id,
    priority: isPriority(r.priority) ? r.priority : "normal",
    firstResponseMinutes: r.first_response_minutes,
    nextResponseMinutes: r.next_response_minutes,
    resolutionMinutes: r.resolution_minutes,
    warning: { kind: r.warning_kind === "minutes" ? "minutes" : "percent", value: r.warning_value },
    actions: parseEscalationActions(r.actions_json),
    businessHoursOnly: r.business_hours_only === 1,
  };
}

/** Every policy, by department and priority. */
export async function listSlaPolicies(db: Db | Tx): Promise<SlaPolicy[]> {
  const rows = await db.selectFrom("sla_policies").select(COLUMNS).orderBy("department_id")
    .orderBy("priority").execute();
  return rows.map(toPolicy);
}

/** The policies of some departments (all when `departmentIds` is absent). */
export async function loadSlaPolicies(db: Db | Tx, departmentIds?: number[]): Promise<SlaPolicy[]> {
  if (departmentIds?.length === 0) return [];
  let q = db.selectFrom("sla_policies").select(COLUMNS);
  if (departmentIds) q = q.where("department_id", "in", departmentIds);
  return (await q.execute()).map(toPolicy);
}

/** The policy for a department and priority, or null. */
export async function findSlaPolicy(
  db: Db | Tx,
  departmentId: number,
  priority: Priority,
): Promise<SlaPolicy | null> {
  const row = await db.selectFrom("sla_policies").select(COLUMNS)
    .where("department_id", "=", departmentId).where("priority", "=", priority)
    .executeTakeFirst();
  return row ? toPolicy(row) : null;
}

/** Creates or replaces the policy for a department and priority. */
export async function saveSlaPolicy(
  tx: Tx,
  departmentId: number,
  priority: Priority,
  p: SlaPolicyInput,
  now: number,
): Promise<void> {
  const values = {
    first_response_minutes: p.firstResponseMinutes,
    next_response_minutes: p.nextResponseMinutes,
    resolution_minutes: p.resolutionMinutes,
    warning_kind: p.warning.kind,
    warning_value: p.warning.value,
    actions_json: JSON.stringify(p.actions),
    business_hours_only: p.businessHoursOnly ? 1 : 0,
    updated_at: now,
  };
  await tx.insertInto("sla_policies")
    .values({ department_id: departmentId, priority, ...values })
    .onConflict((oc) => oc.columns(["department_id", "priority"]).doUpdateSet(values))
    .execute();
}

/** Removes the policy for a department and priority (its tickets then have no SLA). */
export async function deleteSlaPolicy(
  tx: Tx,
  departmentId: number,
  priority: Priority,
): Promise<void> {
  await tx.deleteFrom("sla_policies").where("department_id", "=", departmentId)
    .where("priority", "=", priority).execute();
}
