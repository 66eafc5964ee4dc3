// Frozen in time: this migration imports no application code.
// Mail hygiene, part two:
// - spam_reply_links: a reply to an existing ticket that scored as spam is filed as its own ticket
//   in 迷惑メール, linked to the ticket it claims to answer; "迷惑メールではない" moves it into
//   that ticket's thread (moved_at).
// - imported_raw: which import job (and where in its source) a stored raw message came from, so
//   imported mail that lands in quarantine keeps its import and is listed with the job.
// - imap_settings: the IMAP pull configured from the admin page (one row), the password sealed
//   with a key of its own in app_secrets.
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable("spam_reply_links")
    .addColumn("spam_ticket_id", "integer", (c) => c.primaryKey().references("tickets.id"))
    .addColumn("target_ticket_id", "integer", (c) => c.notNull().references("tickets.id"))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("moved_at", "integer")
    .execute();
  await db.schema.createIndex("spam_reply_links_target").on("spam_reply_links")
    .column("target_ticket_id").execute();

  await db.schema.createTable("imported_raw")
    .addColumn("raw_id", "integer", (c) => c.primaryKey().references("raw_messages.id"))
    .addColumn("job_id", "integer", (c) => c.notNull().references("import_jobs.id"))
    .addColumn("where_in_source", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("imported_raw_job").on("imported_raw").columns(["job_id", "raw_id"])
    .execute();

  await db.schema.createTable("imap_settings")
    .addColumn("id", "integer", (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn("host", "text", (c) => c.notNull())
    .addColumn("port", "integer", (c) => c.notNull())
    .addColumn("tls", "integer", (c) => c.notNull())
    .addColumn("username", "text", (c) => c.notNull())
    // AES-GCM: base64 of iv + ciphertext, under app_secrets 'settings_key'.
    .addColumn("password_sealed", "text", (c) => c.notNull())
    .addColumn("folder", "text", (c) => c.notNull())
    .addColumn("enabled", "integer", (c) => c.notNull())
    .addColumn("updated_at", "integer", (c) => c.notNull())
    .execute();
  const key = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
  await sql`insert or ignore into app_secrets (name, value, created_at)
    values ('settings_key', ${key}, ${Date.now()})`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from app_secrets where name = 'settings_key'`.execute(db);
  await db.schema.dropTable("imap_settings").execute();
  await db.schema.dropTable("imported_raw").execute();
  await db.schema.dropTable("spam_reply_links").execute();
}
