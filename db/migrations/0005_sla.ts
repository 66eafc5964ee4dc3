// Frozen in time: this migration imports no application code.
// Business hours and SLAs: named schedules (assigned per department), SLA policies per
// department and priority, due times stored on the ticket, and in-app notifications.
import type { Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable("schedules")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("time_zone", "text", (c) => c.notNull())
    // {"1":[{"start":"09:00","end":"18:00"}],…}: ISO weekday → local wall-time intervals.
    .addColumn("weekly_json", "text", (c) => c.notNull().defaultTo("{}"))
    // [{"kind":"date","date":"2026-01-01"},…]: see domain/schedule.ts Holiday.
    .addColumn("holidays_json", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("updated_at", "integer", (c) => c.notNull())
    .execute();

  // Null: no schedule, the department is open around the clock.
  await db.schema.alterTable("departments")
    .addColumn("schedule_id", "integer", (c) => c.references("schedules.id")).execute();

  await db.schema.createTable("sla_policies")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("department_id", "integer", (c) => c.notNull().references("departments.id"))
    .addColumn("priority", "text", (c) => c.notNull())
    // Targets in business minutes of the department's schedule; null: no target.
    .addColumn("first_response_minutes", "integer")
    .addColumn("next_response_minutes", "integer")
    .addColumn("resolution_minutes", "integer")
    // "percent": warn when this share of the target has elapsed; "minutes": this long before.
    .addColumn("warning_kind", "text", (c) => c.notNull().defaultTo("percent"))
    .addColumn("warning_value", "integer", (c) => c.notNull().defaultTo(80))
    // {"warning":[…actions],"breach":[…actions]}
    .addColumn("actions_json", "text", (c) => c.notNull().defaultTo("{}"))
    // Escalation mail and notifications wait for the next opening outside business hours.
    .addColumn("business_hours_only", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("updated_at", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("sla_policies_department_priority").on("sla_policies")
    .columns(["department_id", "priority"]).unique().execute();

  await db.schema.alterTable("tickets")
    .addColumn("priority", "text", (c) => c.notNull().defaultTo("normal")).execute();
  for (
    const column of [
      "first_response_due_at",
      "next_response_due_at",
      "resolution_due_at",
      // The nearest active due instant and its warning instant, for the inbox.
      "sla_due_at",
      "sla_warn_at",
      // When the current next-response cycle began (the first unanswered customer message).
      "sla_cycle_since",
      // When the resolution clock last resumed; null while it is stopped.
      "sla_clock_since",
    ]
  ) {
    await db.schema.alterTable("tickets").addColumn(column, "integer").execute();
  }
  // Business ms the resolution clock ran before sla_clock_since (pauses excluded).
  await db.schema.alterTable("tickets")
    .addColumn("sla_elapsed_ms", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable("tickets")
    .addColumn("sla_paused", "integer", (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.createIndex("tickets_sla_due").on("tickets").column("sla_due_at").execute();

  await db.schema.createTable("notifications")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("agent_id", "integer", (c) => c.notNull().references("agents.id"))
    .addColumn("ticket_id", "integer", (c) => c.references("tickets.id"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("data_json", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("read_at", "integer")
    .execute();
  await db.schema.createIndex("notifications_agent").on("notifications")
    .columns(["agent_id", "read_at", "id"]).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("notifications").execute();
  await db.schema.dropIndex("tickets_sla_due").execute();
  for (
    const column of [
      "sla_paused",
      "sla_elapsed_ms",
      "sla_clock_since",
      "sla_cycle_since",
      "sla_warn_at",
      "sla_due_at",
      "resolution_due_at",
      "next_response_due_at",
      "first_response_due_at",
      "priority",
    ]
  ) {
    await db.schema.alterTable("tickets").dropColumn(column).execute();
  }
  await db.schema.dropTable("sla_policies").execute();
  await db.schema.alterTable("departments").dropColumn("schedule_id").execute();
  await db.schema.dropTable("schedules").execute();
}
