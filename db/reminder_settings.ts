/** Per-department reminder and auto-close settings (domain/reminder_policy.ts). */
import type { Db, Tx } from "./client.ts";
import {
  DEFAULT_REMINDER_POLICY,
  FINAL_ACTIONS,
  type FinalAction,
  type ReminderPolicy,
} from "../domain/reminder_policy.ts";
import { parseLangTemplates } from "../domain/lang_templates.ts";

/** A department's reminder policy; the (disabled) defaults when none is saved. */
export async function loadReminderPolicy(
  db: Db | Tx,
  departmentId: number,
): Promise<ReminderPolicy> {
  const row = await db.selectFrom("reminder_settings").selectAll()
    .where("department_id", "=", departmentId).executeTakeFirst();
  if (!row) return DEFAULT_REMINDER_POLICY;
  const action = row.final_action as FinalAction;
  return {
    enabled: row.enabled === 1,
    afterDays: row.after_days,
    maxReminders: row.max_reminders,
    finalAfterDays: row.final_after_days,
    finalAction: FINAL_ACTIONS.includes(action) ? action : "none",
    templates: parseLangTemplates(row.templates_json),
  };
}

/** Saves a department's reminder policy (validate it first). */
export async function saveReminderPolicy(
  tx: Tx,
  departmentId: number,
  p: ReminderPolicy,
  now: number,
): Promise<void> {
  const values = {
    enabled: p.enabled ? 1 : 0,
    after_days: p.afterDays,
    max_reminders: p.maxReminders,
    final_after_days: p.finalAfterDays,
    final_action: p.finalAction,
    templates_json: JSON.stringify(p.templates),
    updated_at: now,
  };
  await tx.insertInto("reminder_settings").values({ department_id: departmentId, ...values })
    .onConflict((oc) => oc.column("department_id").doUpdateSet(values)).execute();
}
