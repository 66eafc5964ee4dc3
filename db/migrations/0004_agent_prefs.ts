// Frozen in time: this migration imports no application code.
import type { Kysely } from "kysely";

/** Agent preferences: the time zone dates are shown in (null: the configured default). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("agents").addColumn("time_zone", "text").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("agents").dropColumn("time_zone").execute();
}
