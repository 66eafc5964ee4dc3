// Frozen in time: this migration imports no application code.
// Mail that belongs to no ticket (an agent's set-password invitation) goes through the same durable
// outbox: outbox.message_id becomes nullable. SQLite cannot relax NOT NULL in place, so the table
// is rebuilt with its rows and indexes.
import { type Kysely, sql } from "kysely";

async function rebuild(db: Kysely<unknown>, messageId: string) {
  await sql`create table outbox_rebuilt (
    id integer primary key autoincrement,
    message_id integer ${sql.raw(messageId)} references messages(id),
    status text not null,
    envelope_from text not null,
    envelope_to text not null,
    raw blob not null,
    attempts integer not null default 0,
    next_attempt_at integer not null,
    last_error text,
    created_at integer not null,
    sent_at integer,
    lease_owner text,
    lease_until integer
  )`.execute(db);
  // The lease columns of 0009 are kept: this migration only relaxes message_id.
  await sql`insert into outbox_rebuilt select id, message_id, status, envelope_from, envelope_to,
    raw, attempts, next_attempt_at, last_error, created_at, sent_at, lease_owner, lease_until
    from outbox`.execute(db);
  await sql`drop table outbox`.execute(db);
  await sql`alter table outbox_rebuilt rename to outbox`.execute(db);
  await sql`create index outbox_due on outbox (status, next_attempt_at)`.execute(db);
  await sql`create index outbox_message on outbox (message_id)`.execute(db);
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await rebuild(db, "");
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from outbox where message_id is null`.execute(db);
  await rebuild(db, "not null");
}
