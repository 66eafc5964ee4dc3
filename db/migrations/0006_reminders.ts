// Frozen in time: this migration imports no application code.
// After-hours auto-replies (per department, with a per-sender rate-limit log) and reminders with
// auto-close (per department). Follow-up dates need no table: they are durable timers.
import type { Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable("after_hours_settings")
    .addColumn("department_id", "integer", (c) => c.primaryKey().references("departments.id"))
    .addColumn("auto_reply", "integer", (c) => c.notNull().defaultTo(0))
    // New mail that arrives while closed goes to this department; null: it stays.
    .addColumn("on_duty_department_id", "integer", (c) => c.references("departments.id"))
    // {"ja":{"subject","body"},"en":{…}}; a missing language uses the default text.
    .addColumn("templates_json", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("updated_at", "integer", (c) => c.notNull())
    .execute();

  // The last after-hours auto-reply per department and sender: at most one per period.
  await db.schema.createTable("auto_reply_log")
    .addColumn("department_id", "integer", (c) => c.notNull())
    .addColumn("address", "text", (c) => c.notNull())
    .addColumn("sent_at", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("auto_reply_log_pk", ["department_id", "address"])
    .execute();

  await db.schema.createTable("reminder_settings")
    .addColumn("department_id", "integer", (c) => c.primaryKey().references("departments.id"))
    .addColumn("enabled", "integer", (c) => c.notNull().defaultTo(0))
    // Business days waiting on the customer before each reminder (N).
    .addColumn("after_days", "integer", (c) => c.notNull().defaultTo(3))
    // Reminders per wait at most (K); 0: none, only the final action.
    .addColumn("max_reminders", "integer", (c) => c.notNull().defaultTo(1))
    // Business days after the last reminder before the final action (M).
    .addColumn("final_after_days", "integer", (c) => c.notNull().defaultTo(7))
    // "none" | "reopen" (back to 未対応) | "close" (対応完了).
    .addColumn("final_action", "text", (c) => c.notNull().defaultTo("close"))
    .addColumn("templates_json", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("updated_at", "integer", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("reminder_settings").execute();
  await db.schema.dropTable("auto_reply_log").execute();
  await db.schema.dropTable("after_hours_settings").execute();
}
