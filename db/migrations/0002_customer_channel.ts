// Frozen in time: this migration imports no application code.
// The customer channel: inquiry forms per department, customer links and access keys (hashes
// only), one-time form submissions, and the server secret that signs form tokens.
import type { Kysely } from "kysely";
import { sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable("department_settings")
    .addColumn(
      "department_id",
      "integer",
      (c) => c.primaryKey().references("departments.id"),
    )
    .addColumn("form_json", "text", (c) => c.notNull().defaultTo("null"))
    .addColumn("confirm_customer", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("confirm_agents", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("notify_agent_ids_json", "text", (c) => c.notNull().defaultTo("[]"))
    .addColumn("templates_json", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("updated_at", "integer", (c) => c.notNull())
    .execute();

  await db.schema.createTable("ticket_access")
    .addColumn("ticket_id", "integer", (c) => c.primaryKey().references("tickets.id"))
    .addColumn("access_key_hash", "text", (c) => c.notNull())
    .addColumn("locale", "text", (c) => c.notNull().defaultTo("ja"))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("updated_at", "integer", (c) => c.notNull())
    .execute();

  await db.schema.createTable("customer_links")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("ticket_id", "integer", (c) => c.notNull().references("tickets.id"))
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("revoked_at", "integer")
    .execute();
  await db.schema.createIndex("customer_links_ticket").on("customer_links").column("ticket_id")
    .execute();

  await db.schema.createTable("form_submissions")
    .addColumn("nonce_hash", "text", (c) => c.primaryKey())
    .addColumn("receipt_hash", "text", (c) => c.unique())
    .addColumn("ticket_id", "integer", (c) => c.notNull().references("tickets.id"))
    .addColumn("message_id", "integer", (c) => c.notNull().references("messages.id"))
    .addColumn("created_at", "integer", (c) => c.notNull())
    .execute();

  await db.schema.createTable("app_secrets")
    .addColumn("name", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .addColumn("created_at", "integer", (c) => c.notNull())
    .execute();
  const key = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
  await sql`insert into app_secrets (name, value, created_at) values ('form_token', ${key}, ${Date.now()})`
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (
    const t of [
      "app_secrets",
      "form_submissions",
      "customer_links",
      "ticket_access",
      "department_settings",
    ]
  ) {
    await db.schema.dropTable(t).execute();
  }
}
