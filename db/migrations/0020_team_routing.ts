// Frozen in time: this migration imports no application code.
// The team, continued (issue 8): keyword/category routing rules, and the indexes that serve the
// SLA state views (警告 / 超過) and the priority and department views at 200 000 tickets.
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  // Ordered by position (then id); conditions and actions as JSON (domain/routing_rules.ts).
  await sql`create table routing_rules (
    id integer primary key autoincrement,
    name text not null,
    position integer not null,
    enabled integer not null default 1,
    conditions_json text not null,
    actions_json text not null,
    created_at integer not null,
    updated_at integer not null
  )`.execute(db);
  await sql`create index routing_rules_position on routing_rules (position, id)`.execute(db);

  // "SLA 警告": warned (sla_warn_at <= now) but not yet due (sla_due_at > now). Only tickets with
  // a running clock have these columns set, so the range never reaches resolved or closed mail.
  // "SLA 超過" walks tickets_sla_due (migration 0005).
  await sql`create index tickets_sla_warn on tickets (sla_warn_at, sla_due_at)`.execute(db);
  await sql`create index tickets_priority_activity on tickets (priority, last_message_at)`
    .execute(db);
  await sql`create index tickets_department_activity on tickets (department_id, last_message_at)`
    .execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index tickets_department_activity`.execute(db);
  await sql`drop index tickets_priority_activity`.execute(db);
  await sql`drop index tickets_sla_warn`.execute(db);
  await sql`drop table routing_rules`.execute(db);
}
