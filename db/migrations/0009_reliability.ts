// Frozen in time: this migration imports no application code.
// Outbox leases: a worker claims a row for `lease_owner` until `lease_until` (renewed while it
// sends), so another process neither resets nor re-sends mail in flight, and a dead owner's row
// is taken over once its lease runs out. health_probe: the one row /healthz rewrites to learn
// whether the database can still commit (a full disk answers reads but refuses writes).
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("outbox").addColumn("lease_owner", "text").execute();
  await db.schema.alterTable("outbox").addColumn("lease_until", "integer").execute();
  // Rows a crash left "sending" before leases existed have no owner left: expired at once.
  await sql`update outbox set lease_until = 0 where status = 'sending'`.execute(db);
  await db.schema.createTable("health_probe")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("checked_at", "integer", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("health_probe").execute();
  await db.schema.alterTable("outbox").dropColumn("lease_until").execute();
  await db.schema.alterTable("outbox").dropColumn("lease_owner").execute();
}
