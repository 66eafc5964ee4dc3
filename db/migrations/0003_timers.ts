// Frozen in time: this migration imports no application code.
import type { Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable("timers")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("ticket_id", "integer")
    .addColumn("key", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("due_at", "integer", (c) => c.notNull())
    .addColumn("fired_at", "integer")
    .addColumn("data_json", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .execute();
  // One timer per (ticket, kind, key): "fires once per ticket and threshold".
  await db.schema.createIndex("timers_identity").on("timers").columns(["ticket_id", "kind", "key"])
    .unique().execute();
  // The loop asks only for unfired timers in due order: O(due items) per tick.
  await db.schema.createIndex("timers_due").on("timers").columns(["fired_at", "due_at"]).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("timers").execute();
}
