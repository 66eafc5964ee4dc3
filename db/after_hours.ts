/** Per-department after-hours settings and the log that limits auto-replies per sender. */
import type { Db, Tx } from "./client.ts";
import { type AfterHoursPolicy, DEFAULT_AFTER_HOURS_POLICY } from "../domain/after_hours.ts";
import { parseLangTemplates } from "../domain/lang_templates.ts";

/** A department's after-hours policy; the defaults (no reply, no routing) when none is saved. */
export async function loadAfterHoursPolicy(
  db: Db | Tx,
  departmentId: number,
): Promise<AfterHoursPolicy> {
  const row = await db.selectFrom("after_hours_settings").selectAll()
    .where("department_id", "=", departmentId).executeTakeFirst();
  if (!row) return DEFAULT_AFTER_HOURS_POLICY;
  return {
    autoReply: row.auto_reply === 1,
    onDutyDepartmentId: row.on_duty_department_id,
    templates: parseLangTemplates(row.templates_json),
  };
}

/** Saves a department's after-hours policy. */
export async function saveAfterHoursPolicy(
  tx: Tx,
  departmentId: number,
  p: AfterHoursPolicy,
  now: number,
): Promise<void> {
  const values = {
    auto_reply: p.autoReply ? 1 : 0,
    on_duty_department_id: p.onDutyDepartmentId,
    templates_json: JSON.stringify(p.templates),
    updated_at: now,
  };
  await tx.insertInto("after_hours_settings").values({ department_id: departmentId, ...values })
    .onConflict((oc) => oc.column("department_id").doUpdateSet(values)).execute();
}

/** When the department last auto-replied to this address, or null. */
export async function lastAutoReplyAt(
  db: Db | Tx,
  departmentId: number,
  address: string,
): Promise<number | null> {
  const row = await db.selectFrom("auto_reply_log").select("sent_at")
    .where("department_id", "=", departmentId).where("address", "=", address.toLowerCase())
    .executeTakeFirst();
  return row?.sent_at ?? null;
}

/** Notes that the department auto-replied to this address now. */
export async function recordAutoReply(
  tx: Tx,
  departmentId: number,
  address: string,
  now: number,
): Promise<void> {
  await tx.insertInto("auto_reply_log")
    .values({ department_id: departmentId, address: address.toLowerCase(), sent_at: now })
    .onConflict((oc) => oc.columns(["department_id", "address"]).doUpdateSet({ sent_at: now }))
    .execute();
}
