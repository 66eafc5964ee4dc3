// Frozen in time: this migration imports no application code.
// Reply templates (定型文), the replies that used them, and FAQ articles (よくある質問).
import type { Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createTable("reply_templates")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("category", "text", (c) => c.notNull().defaultTo(""))
    // personal (owner only), department (that department's tickets), shared (everyone)
    .addColumn("scope", "text", (c) => c.notNull())
    .addColumn("owner_agent_id", "integer")
    .addColumn("department_id", "integer")
    .addColumn("usage_count", "integer", (c) => c.notNull().defaultTo(0))
    // +1 on every edit: the suggestion index's cache key (services/suggestions.ts)
    .addColumn("revision", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_by", "integer", (c) => c.notNull())
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("updated_at", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("reply_templates_scope").on("reply_templates")
    .columns(["scope", "owner_agent_id", "title"]).execute();

  await db.schema.createTable("template_uses")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("template_id", "integer", (c) => c.notNull())
    .addColumn("ticket_id", "integer", (c) => c.notNull())
    .addColumn("message_id", "integer", (c) => c.notNull())
    .addColumn("agent_id", "integer")
    .addColumn("created_at", "integer", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("template_uses_template").on("template_uses")
    .columns(["template_id", "id"]).execute();

  await db.schema.createTable("faq_articles")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    .addColumn("category", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("status", "text", (c) => c.notNull().defaultTo("draft"))
    .addColumn("views", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("helpful_yes", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("helpful_no", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("source", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_by", "integer")
    .addColumn("created_at", "integer", (c) => c.notNull())
    .addColumn("updated_at", "integer", (c) => c.notNull())
    .addColumn("published_at", "integer")
    .execute();
  await db.schema.createIndex("faq_articles_status").on("faq_articles")
    .columns(["status", "category", "updated_at"]).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("faq_articles").execute();
  await db.schema.dropTable("template_uses").execute();
  await db.schema.dropTable("reply_templates").execute();
}
