// Frozen in time: this migration imports no application code.
// Imports of old mail (mbox, Maildir, a folder of .eml files) and how far each got, so a re-run
// continues where it stopped; and the IMAP pull's last filed UID per mailbox.
import type { Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable("import_jobs")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    // The resolved path read (a file or a folder); one job per source.
    .addColumn("source", "text", (c) => c.notNull().unique())
    .addColumn("kind", "text", (c) => c.notNull()) // mbox | maildir | eml
    // The recipient given for every message, or null to read Delivered-To / To.
    .addColumn("rcpt_to", "text")
    .addColumn("status", "text", (c) => c.notNull()) // pending | running | done | failed
    // mbox: the byte offset of the next message; folders: 0.
    .addColumn("offset", "integer", (c) => c.notNull().defaultTo(0))
    // folders: the last file name (in sorted order) filed; mbox: null.
    .addColumn("cursor", "text")
    // Bytes (mbox) or files (folders) in the source when last counted, and how many are done.
    .addColumn("total", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("done", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("messages", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("joined", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("duplicates", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("quarantined", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("skipped", "integer", (c) => c.notNull().defaultTo(0))
    // JSON array of the last errors: [{at, where, message}].
    .addColumn("errors", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("updated_at", "integer", (c) => c.notNull())
    .addColumn("finished_at", "integer")
    .execute();
  await db.schema.createTable("imap_state")
    // imap://user@host:port/mailbox, without the password.
    .addColumn("mailbox", "text", (c) => c.primaryKey())
    .addColumn("uid_validity", "text", (c) => c.notNull())
    .addColumn("last_uid", "integer", (c) => c.notNull())
    .addColumn("updated_at", "integer", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("imap_state").execute();
  await db.schema.dropTable("import_jobs").execute();
}
