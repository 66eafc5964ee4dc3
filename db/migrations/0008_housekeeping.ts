// Frozen in time: this migration imports no application code.
// Indexes for the daily housekeeping (loops/housekeeping.ts): each prune is a range scan of the
// rows it deletes, never a scan of the table.
import type { Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex("sessions_expires").on("sessions").column("expires_at").execute();
  await db.schema.createIndex("form_submissions_created").on("form_submissions")
    .column("created_at").execute();
  await db.schema.createIndex("customer_links_revoked").on("customer_links").column("revoked_at")
    .execute();
  await db.schema.createIndex("customer_links_created").on("customer_links").column("created_at")
    .execute();
  await db.schema.createIndex("auto_reply_log_sent").on("auto_reply_log").column("sent_at")
    .execute();
  // Closed tickets by when they last changed: whose customer links are past their retention.
  // (tickets_status_updated is on last_message_at, despite its name.)
  await db.schema.createIndex("tickets_status_changed").on("tickets")
    .columns(["status", "updated_at"]).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (
    const name of [
      "tickets_status_changed",
      "auto_reply_log_sent",
      "customer_links_created",
      "customer_links_revoked",
      "form_submissions_created",
      "sessions_expires",
    ]
  ) {
    await db.schema.dropIndex(name).execute();
  }
}
