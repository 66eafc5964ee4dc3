// Frozen in time: this migration imports no application code.
import type { Kysely } from "kysely";
import { sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable("departments")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("slug", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "integer", (c) => c.notNull())
    .execute();

  await db.schema.createTable("agents")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("email", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull())
    .addColumn("locale", "text", (c) => c.notNull().defaultTo("ja"))
    .addColumn("disabled", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .execute();

  await db.schema.createTable("sessions")
    .addColumn("id_hash", "text", (c) => c.primaryKey())
    .addColumn("agent_id", "integer", (c) => c.notNull().references("agents.id"))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("expires_at", "integer", (c) => c.notNull())
    .execute();

  await db.schema.createTable("api_tokens")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("agent_id", "integer", (c) => c.notNull().references("agents.id"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("last_used_at", "integer")
    .addColumn("revoked_at", "integer")
    .execute();

  await db.schema.createTable("customers")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("email", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("updated_at", "integer", (c) => c.notNull())
    .execute();

  await db.schema.createTable("tickets")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("number", "integer", (c) => c.notNull().unique())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("customer_id", "integer", (c) => c.notNull().references("customers.id"))
    .addColumn("department_id", "integer", (c) => c.notNull().references("departments.id"))
    .addColumn("reply_token", "text", (c) => c.notNull().unique())
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("updated_at", "integer", (c) => c.notNull())
    .addColumn("last_message_at", "integer", (c) => c.notNull())
    .addColumn("message_count", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex("tickets_status_updated").on("tickets")
    .columns(["status", "last_message_at"]).execute();
  await db.schema.createIndex("tickets_customer").on("tickets").column("customer_id").execute();

  await db.schema.createTable("raw_messages")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("sha256", "text", (c) => c.notNull())
    .addColumn("size", "integer", (c) => c.notNull())
    .addColumn("content", "blob", (c) => c.notNull())
    .addColumn("mail_from", "text")
    .addColumn("rcpt_to", "text", (c) => c.notNull())
    .addColumn("remote_address", "text")
    .addColumn("received_at", "integer", (c) => c.notNull())
    .execute();

  await db.schema.createTable("messages")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("ticket_id", "integer", (c) => c.notNull().references("tickets.id"))
    .addColumn("direction", "text", (c) => c.notNull())
    .addColumn("message_id", "text")
    .addColumn("in_reply_to", "text")
    .addColumn("references_json", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("from_address", "text", (c) => c.notNull())
    .addColumn("from_name", "text", (c) => c.notNull())
    .addColumn("to_json", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("cc_json", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("text_body", "text", (c) => c.notNull())
    .addColumn("html_body", "text")
    .addColumn("auto_kind", "text", (c) => c.notNull().defaultTo("none"))
    .addColumn("raw_id", "integer", (c) => c.references("raw_messages.id"))
    .addColumn("agent_id", "integer", (c) => c.references("agents.id"))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("messages_ticket").on("messages").columns(["ticket_id", "id"])
    .execute();
  await db.schema.createIndex("messages_message_id").on("messages").column("message_id").execute();

  await db.schema.createTable("attachments")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("message_id", "integer", (c) => c.notNull().references("messages.id"))
    .addColumn("filename", "text", (c) => c.notNull())
    .addColumn("content_type", "text", (c) => c.notNull())
    .addColumn("content_id", "text")
    .addColumn("disposition", "text", (c) => c.notNull())
    .addColumn("size", "integer", (c) => c.notNull())
    .addColumn("content", "blob", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("attachments_message").on("attachments").column("message_id")
    .execute();

  await db.schema.createTable("quarantine")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("raw_id", "integer", (c) => c.notNull().references("raw_messages.id"))
    .addColumn("reason", "text", (c) => c.notNull())
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("resolved_at", "integer")
    .addColumn("ticket_id", "integer")
    .execute();

  await db.schema.createTable("outbox")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("message_id", "integer", (c) => c.notNull().references("messages.id"))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("envelope_from", "text", (c) => c.notNull())
    .addColumn("envelope_to", "text", (c) => c.notNull())
    .addColumn("raw", "blob", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "integer", (c) => c.notNull())
    .addColumn("last_error", "text")
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("sent_at", "integer")
    .execute();
  await db.schema.createIndex("outbox_due").on("outbox").columns(["status", "next_attempt_at"])
    .execute();
  await db.schema.createIndex("outbox_message").on("outbox").column("message_id").execute();

  await db.schema.createTable("events")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("ticket_id", "integer")
    .addColumn("agent_id", "integer")
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("data_json", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("events_ticket").on("events").column("ticket_id").execute();

  await sql`insert into departments (name, slug, created_at) values ('サポート', 'support', ${Date.now()})`
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (
    const t of [
      "events",
      "outbox",
      "quarantine",
      "attachments",
      "messages",
      "raw_messages",
      "tickets",
      "customers",
      "api_tokens",
      "sessions",
      "agents",
      "departments",
    ]
  ) {
    await db.schema.dropTable(t).execute();
  }
}
