// Frozen in time: this migration imports no application code.
// Mail hygiene: automatic mail sent to strangers' addresses, counted per mailbox, per domain and
// in total; the admins' spam rules; how raw and outbox bytes are stored (compressed or not).
import type { Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable("auto_mail_log")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("mailbox", "text", (c) => c.notNull())
    .addColumn("domain", "text", (c) => c.notNull())
    .addColumn("sent_at", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("auto_mail_log_mailbox").on("auto_mail_log")
    .columns(["mailbox", "kind", "sent_at"]).execute();
  await db.schema.createIndex("auto_mail_log_domain").on("auto_mail_log")
    .columns(["domain", "sent_at"]).execute();
  await db.schema.createIndex("auto_mail_log_sent").on("auto_mail_log").column("sent_at").execute();

  await db.schema.createTable("spam_rules")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("pattern", "text", (c) => c.notNull())
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addUniqueConstraint("spam_rules_kind_pattern", ["kind", "pattern"])
    .execute();

  // How stored bytes are encoded: rows from before stay "identity" and readable as they are.
  await db.schema.alterTable("raw_messages")
    .addColumn("content_encoding", "text", (c) => c.notNull().defaultTo("identity")).execute();
  await db.schema.alterTable("outbox")
    .addColumn("raw_encoding", "text", (c) => c.notNull().defaultTo("identity")).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("outbox").dropColumn("raw_encoding").execute();
  await db.schema.alterTable("raw_messages").dropColumn("content_encoding").execute();
  await db.schema.dropTable("spam_rules").execute();
  await db.schema.dropTable("auto_mail_log").execute();
}
