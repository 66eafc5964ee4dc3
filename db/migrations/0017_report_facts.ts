// Frozen in time: this migration imports no application code.
// Reports (issue 12) need, per ticket, when it was first answered, when it was resolved, how
// often it was reopened and who last replied — facts otherwise spread over messages and events.
// ticket_report_facts keeps them, written by triggers in the same transaction as the message or
// status change, so no write path can forget them and a month's report reads one index range
// instead of aggregating messages.
// - first_response_at: the first message with direction 'out' written by an agent;
// - resolved_at: when the ticket last became 'resolved' (null while it is not resolved);
// - reopen_count: how often it left 'resolved' for a status that needs work again;
// - last_agent_id: the agent who last replied (the reports' agent until tickets have assignees);
// - replies: agent replies on the ticket.
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table ticket_report_facts (
    ticket_id integer primary key,
    created_at integer not null,
    first_response_at integer,
    resolved_at integer,
    reopen_count integer not null default 0,
    last_agent_id integer,
    replies integer not null default 0
  )`.execute(db);
  await sql`create index ticket_report_facts_created on ticket_report_facts (created_at)`
    .execute(db);
  // Replies per agent and per day walk this instead of every message.
  await sql`create index messages_agent_replies on messages (created_at, agent_id)
    where direction = 'out' and agent_id is not null`.execute(db);

  await sql`insert into ticket_report_facts
      (ticket_id, created_at, first_response_at, resolved_at, last_agent_id, replies)
    select t.id, t.created_at,
      (select min(m.created_at) from messages m where m.ticket_id = t.id
        and m.direction = 'out' and m.agent_id is not null),
      case when t.status = 'resolved' then t.updated_at end,
      (select m.agent_id from messages m where m.ticket_id = t.id
        and m.direction = 'out' and m.agent_id is not null order by m.created_at desc, m.id desc
        limit 1),
      (select count(*) from messages m where m.ticket_id = t.id
        and m.direction = 'out' and m.agent_id is not null)
    from tickets t`.execute(db);
  await sql`update ticket_report_facts set reopen_count = (select count(*) from events e
      where e.ticket_id = ticket_report_facts.ticket_id and e.kind in ('status.changed', 'web.joined')
        and json_extract(e.data_json, '$.from') = 'resolved'
        and json_extract(e.data_json, '$.to') in ('new', 'open', 'pending'))`.execute(db);

  await sql`create trigger ticket_report_facts_insert after insert on tickets begin
    insert into ticket_report_facts (ticket_id, created_at, resolved_at)
      values (new.id, new.created_at,
        case when new.status = 'resolved' then new.updated_at end);
  end`.execute(db);
  await sql`create trigger ticket_report_facts_delete after delete on tickets begin
    delete from ticket_report_facts where ticket_id = old.id;
  end`.execute(db);
  await sql`create trigger ticket_report_facts_status after update of status on tickets
    when old.status is not new.status begin
    update ticket_report_facts set
      resolved_at = case when new.status = 'resolved' then new.updated_at end,
      reopen_count = reopen_count
        + (old.status = 'resolved' and new.status in ('new', 'open', 'pending'))
      where ticket_id = new.id;
  end`.execute(db);
  await sql`create trigger ticket_report_facts_reply after insert on messages
    when new.direction = 'out' and new.agent_id is not null begin
    update ticket_report_facts set
      first_response_at = coalesce(first_response_at, new.created_at),
      last_agent_id = new.agent_id,
      replies = replies + 1
      where ticket_id = new.ticket_id;
  end`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger ticket_report_facts_reply`.execute(db);
  await sql`drop trigger ticket_report_facts_status`.execute(db);
  await sql`drop trigger ticket_report_facts_delete`.execute(db);
  await sql`drop trigger ticket_report_facts_insert`.execute(db);
  await sql`drop index messages_agent_replies`.execute(db);
  await sql`drop table ticket_report_facts`.execute(db);
}
