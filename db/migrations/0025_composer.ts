// Frozen in time: this migration imports no application code.
// The composer (issue 9): an agent's own signature, the Bcc of our replies (To and Cc already have
// columns), and what an approval request will send besides its text — its recipients and files.
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table agents add column signature text`.execute(db);
  await sql`alter table messages add column bcc_json text not null default '[]'`.execute(db);
  // {to, cc, bcc} as chosen in the composer; null: the default reply-all at approval time.
  await sql`alter table approval_requests add column recipients_json text`.execute(db);
  await db.schema.createTable("approval_attachments")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn(
      "approval_id",
      "integer",
      (c) => c.notNull().references("approval_requests.id").onDelete("cascade"),
    )
    .addColumn("filename", "text", (c) => c.notNull())
    .addColumn("content_type", "text", (c) => c.notNull())
    .addColumn("size", "integer", (c) => c.notNull())
    .addColumn("content", "blob", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("approval_attachments_by_request").on("approval_attachments")
    .column("approval_id").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("approval_attachments").execute();
  await sql`alter table approval_requests drop column recipients_json`.execute(db);
  await sql`alter table messages drop column bcc_json`.execute(db);
  await sql`alter table agents drop column signature`.execute(db);
}
