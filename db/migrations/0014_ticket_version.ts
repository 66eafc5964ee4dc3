/**
 * Ticket versions (issue 10): `tickets.version` moves with every message (mail in or out, note,
 * automatic mail), status, department or assignment change, and each message remembers the
 * version its insert produced, so a reply composed against version N can ask "what arrived after
 * N?". Triggers rather than service code: every path that inserts a message (SMTP filing, web
 * inquiries, the customer page, notes, automatic mail, other branches' future paths) bumps it
 * without having to remember to.
 *
 * Also the reply drafts saved as agents type (one per agent and ticket) and the reply lock (who
 * is writing the reply on a ticket, refreshed while they write). Frozen in time: imports no app
 * code.
 */
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table tickets add column version integer not null default 0`.execute(db);
  await sql`alter table messages add column ticket_version integer`.execute(db);
  await sql`create trigger ticket_version_message after insert on messages begin
    update tickets set version = version + 1 where id = new.ticket_id;
    update messages set ticket_version = (select version from tickets where id = new.ticket_id)
      where id = new.id;
  end`.execute(db);
  // Assignment (tickets.assignee_id, issue 8) joins the watched columns when it exists.
  const columns = await sql<{ name: string }>`select name from pragma_table_info('tickets')`
    .execute(db);
  const watched = ["status", "department_id"];
  if (columns.rows.some((c) => c.name === "assignee_id")) watched.push("assignee_id");
  const changed = watched.map((c) => `old.${c} is not new.${c}`).join(" or ");
  await sql`create trigger ticket_version_change after update of ${sql.raw(watched.join(", "))}
    on tickets when ${sql.raw(changed)} begin
    update tickets set version = version + 1 where id = new.id;
  end`.execute(db);

  await sql`create table reply_drafts (
    ticket_id integer not null references tickets(id) on delete cascade,
    agent_id integer not null references agents(id),
    text text not null,
    version integer not null,
    updated_at integer not null,
    primary key (ticket_id, agent_id)
  ) without rowid`.execute(db);
  // Send delay (送信取消): a reply waits this long in the outbox and can be cancelled meanwhile.
  await sql`alter table agents add column send_delay_seconds integer not null default 0`
    .execute(db);
  // Approval (承認): per agent, or by rule; a reply becomes a request a supervisor decides.
  await sql`alter table agents add column requires_approval integer not null default 0`
    .execute(db);
  await sql`alter table departments add column requires_approval integer not null default 0`
    .execute(db);
  await sql`create table approval_requests (
    id integer primary key autoincrement,
    ticket_id integer not null references tickets(id) on delete cascade,
    agent_id integer not null references agents(id),
    text text not null,
    reply_status text not null,
    reasons_json text not null default '[]',
    status text not null default 'pending',
    comment text,
    approved_text text,
    decided_by integer references agents(id),
    decided_at integer,
    message_id integer,
    created_at integer not null
  )`.execute(db);
  await sql`create index approval_requests_status on approval_requests (status, id)`.execute(db);
  await sql`create index approval_requests_ticket on approval_requests (ticket_id, id)`
    .execute(db);
  await sql`create table reply_locks (
    ticket_id integer primary key references tickets(id) on delete cascade,
    agent_id integer not null references agents(id),
    acquired_at integer not null,
    seen_at integer not null
  )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table reply_locks`.execute(db);
  await sql`drop table approval_requests`.execute(db);
  await sql`alter table agents drop column requires_approval`.execute(db);
  await sql`alter table departments drop column requires_approval`.execute(db);
  await sql`alter table agents drop column send_delay_seconds`.execute(db);
  await sql`drop table reply_drafts`.execute(db);
  await sql`drop trigger ticket_version_change`.execute(db);
  await sql`drop trigger ticket_version_message`.execute(db);
  await sql`alter table messages drop column ticket_version`.execute(db);
  await sql`alter table tickets drop column version`.execute(db);
}
