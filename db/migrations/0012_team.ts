// Frozen in time: this migration imports no application code.
// The team (issue 8): roles (admin / supervisor / agent stay in agents.role), presence, agents
// restricted to their departments, invitations, department addresses and identity, automatic
// assignment settings, the ticket's assignee, tags and saved views.
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  // Presence: absent (1) until absent_until (null: until they come back); restricted: sees only
  // the tickets of their departments.
  await sql`alter table agents add column absent integer not null default 0`.execute(db);
  await sql`alter table agents add column absent_until integer`.execute(db);
  await sql`alter table agents add column restricted integer not null default 0`.execute(db);

  await sql`create table agent_departments (
    agent_id integer not null references agents(id),
    department_id integer not null references departments(id),
    primary key (agent_id, department_id)
  ) without rowid`.execute(db);
  await sql`create index agent_departments_department on agent_departments (department_id)`
    .execute(db);

  // One-time set-password links: only the SHA-256 of the secret is kept.
  await sql`create table agent_invitations (
    token_hash text primary key,
    agent_id integer not null references agents(id),
    expires_at integer not null,
    used_at integer,
    created_at integer not null
  )`.execute(db);
  await sql`create index agent_invitations_agent on agent_invitations (agent_id)`.execute(db);

  // The addresses a department receives (lower case, unique across departments).
  await sql`create table department_addresses (
    address text primary key,
    department_id integer not null references departments(id)
  )`.execute(db);
  await sql`create index department_addresses_department on department_addresses (department_id)`
    .execute(db);
  await sql`alter table departments add column from_name text`.execute(db);
  await sql`alter table departments add column reply_address text`.execute(db);
  await sql`alter table departments add column signature text`.execute(db);
  await sql`alter table departments add column assignment text not null default 'manual'`
    .execute(db);
  await sql`alter table departments add column first_receiver_id integer references agents(id)`
    .execute(db);
  await sql`alter table departments add column prefer_last_agent integer not null default 0`
    .execute(db);
  // The agent round-robin gave the last ticket to (the next one follows in id order).
  await sql`alter table departments add column round_robin_last integer`.execute(db);

  await sql`alter table tickets add column assignee_id integer references agents(id)`.execute(db);
  // "自分の担当" / "未割り当て" (assignee_id is null) walk these, newest first, by key.
  await sql`create index tickets_assignee_activity on tickets (assignee_id, last_message_at)`
    .execute(db);
  // least-loaded: open tickets per assignee.
  await sql`create index tickets_assignee_status on tickets (assignee_id, status)`.execute(db);

  await sql`create table tags (
    id integer primary key autoincrement,
    name text not null unique,
    color text not null,
    created_at integer not null
  )`.execute(db);
  await sql`create table ticket_tags (
    ticket_id integer not null references tickets(id),
    tag_id integer not null references tags(id),
    primary key (ticket_id, tag_id)
  ) without rowid`.execute(db);
  await sql`create index ticket_tags_tag on ticket_tags (tag_id, ticket_id)`.execute(db);

  await sql`create table saved_views (
    id integer primary key autoincrement,
    agent_id integer not null references agents(id),
    name text not null,
    shared integer not null default 0,
    filters_json text not null,
    created_at integer not null
  )`.execute(db);
  await sql`create index saved_views_agent on saved_views (agent_id)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table saved_views`.execute(db);
  await sql`drop table ticket_tags`.execute(db);
  await sql`drop table tags`.execute(db);
  await sql`drop index tickets_assignee_status`.execute(db);
  await sql`drop index tickets_assignee_activity`.execute(db);
  await sql`alter table tickets drop column assignee_id`.execute(db);
  for (
    const c of [
      "round_robin_last",
      "prefer_last_agent",
      "first_receiver_id",
      "assignment",
      "signature",
      "reply_address",
      "from_name",
    ]
  ) await sql`alter table departments drop column ${sql.raw(c)}`.execute(db);
  await sql`drop table department_addresses`.execute(db);
  await sql`drop table agent_invitations`.execute(db);
  await sql`drop table agent_departments`.execute(db);
  for (const c of ["restricted", "absent_until", "absent"]) {
    await sql`alter table agents drop column ${sql.raw(c)}`.execute(db);
  }
}
