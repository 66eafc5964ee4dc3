// Frozen in time: this migration imports no application code.
// The inbox's "due soonest" order within a status folder: nearest sla_due_at first, tickets
// without one last, then the latest activity. SQLite cannot walk an index for NULLS LAST, so
// the query sorts on this same expression (a missing deadline counts as the largest integer);
// the order is the reverse of the query's so that a backward scan also yields id descending.
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index tickets_status_due on tickets
    (status, coalesce(sla_due_at, 9223372036854775807) desc, last_message_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex("tickets_status_due").execute();
}
