/**
 * Issue 10, part two: what several processes on one database must share, and the rule "the first
 * N replies of a new agent need approval".
 *
 * - `presence`: who views or writes a ticket, one row per agent and ticket, refreshed by the
 *   page's beats and ignored once `expires_at` passed (pruned by whichever process sees it).
 * - `live_changes`: a feed of "ticket N changed" (or its presence did), written in the same
 *   transaction as the change, read by every process's live hub by id. Its ids are the live
 *   stream's event ids, so a client reconnecting to any process can catch up (Last-Event-ID).
 * - `agents.replies_sent`, kept by triggers (replies queued by the agent; a cancelled send does
 *   not count), and the first-N setting: `approval_settings.first_replies` for everyone,
 *   `departments.approval_first_replies` to override it for one department (null: the global).
 *
 * Frozen in time: imports no app code.
 */
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table presence (
    ticket_id integer not null references tickets(id) on delete cascade,
    agent_id integer not null references agents(id) on delete cascade,
    state text not null,
    expires_at integer not null,
    primary key (ticket_id, agent_id)
  ) without rowid`.execute(db);
  await sql`create index presence_expires on presence (expires_at)`.execute(db);

  await sql`create table live_changes (
    id integer primary key autoincrement,
    ticket_id integer not null,
    kind text not null default 'ticket',
    created_at integer not null
  )`.execute(db);
  await sql`create index live_changes_created on live_changes (created_at)`.execute(db);

  await sql`alter table agents add column replies_sent integer not null default 0`.execute(db);
  await sql`update agents set replies_sent = (select count(*) from messages
    where messages.agent_id = agents.id and messages.direction = 'out'
      and messages.auto_kind = 'none')`.execute(db);
  await sql`create trigger agent_replies_sent after insert on messages
    when new.direction = 'out' and new.agent_id is not null and new.auto_kind = 'none' begin
    update agents set replies_sent = replies_sent + 1 where id = new.agent_id;
  end`.execute(db);
  await sql`create trigger agent_replies_unsent after delete on messages
    when old.direction = 'out' and old.agent_id is not null and old.auto_kind = 'none' begin
    update agents set replies_sent = max(replies_sent - 1, 0) where id = old.agent_id;
  end`.execute(db);

  await sql`create table approval_settings (
    id integer primary key check (id = 1),
    first_replies integer not null default 0
  )`.execute(db);
  await sql`insert into approval_settings (id, first_replies) values (1, 0)`.execute(db);
  await sql`alter table departments add column approval_first_replies integer`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table departments drop column approval_first_replies`.execute(db);
  await sql`drop table approval_settings`.execute(db);
  await sql`drop trigger agent_replies_unsent`.execute(db);
  await sql`drop trigger agent_replies_sent`.execute(db);
  await sql`alter table agents drop column replies_sent`.execute(db);
  await sql`drop table live_changes`.execute(db);
  await sql`drop table presence`.execute(db);
}
