// Frozen in time: this migration imports no application code.
// Reports, part 2 (issue 12):
// - ticket_report_facts.category: the web form's category (its Japanese label) a ticket came in
//   with — reports and the inbox filter by it; tickets from before this migration have none;
// - tickets_created: the inbox's "created from/to" filter (links from report figures) walks it;
// - reply_handling: how long an agent composed each reply, from the reply form's render to its
//   send (signed in the form, capped; see domain/report/compose_stamp.ts). One row per opened
//   form: the unique key makes a replayed form count once;
// - report_subscriptions / report_deliveries: scheduled report mail; a delivery row per
//   subscription and period, written with the mail in one transaction, so a period is never
//   mailed twice (two processes, a restart, a re-armed timer);
// - the key that signs the reply form's stamp.
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table ticket_report_facts add column category text`.execute(db);
  await sql`create index ticket_report_facts_category
    on ticket_report_facts (category, created_at) where category is not null`.execute(db);
  await sql`create index tickets_created on tickets (created_at)`.execute(db);

  await sql`create table reply_handling (
    id integer primary key,
    ticket_id integer not null references tickets(id) on delete cascade,
    agent_id integer not null references agents(id),
    message_id integer references messages(id) on delete set null,
    opened_at integer not null,
    sent_at integer not null,
    seconds integer not null,
    unique (ticket_id, agent_id, opened_at)
  )`.execute(db);
  await sql`create index reply_handling_sent on reply_handling (sent_at)`.execute(db);

  await sql`create table report_subscriptions (
    id integer primary key,
    agent_id integer not null references agents(id),
    frequency text not null,
    send_hour integer not null,
    filter_json text not null default '{}',
    created_at integer not null
  )`.execute(db);
  await sql`create index report_subscriptions_agent on report_subscriptions (agent_id)`
    .execute(db);
  await sql`create table report_deliveries (
    subscription_id integer not null,
    period_from text not null,
    period_to text not null,
    sent_at integer not null,
    primary key (subscription_id, period_from)
  )`.execute(db);

  const key = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
  await sql`insert into app_secrets (name, value, created_at)
    values ('compose_stamp', ${key}, ${Date.now()})`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`delete from app_secrets where name = 'compose_stamp'`.execute(db);
  await sql`drop table report_deliveries`.execute(db);
  await sql`drop table report_subscriptions`.execute(db);
  await sql`drop table reply_handling`.execute(db);
  await sql`drop index tickets_created`.execute(db);
  await sql`drop index ticket_report_facts_category`.execute(db);
  await sql`alter table ticket_report_facts drop column category`.execute(db);
}
