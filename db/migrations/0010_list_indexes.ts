// Frozen in time: this migration imports no application code.
// Lists at 200 000 tickets (issue 13):
// - every inbox folder and order walks an index that matches it (status folders already had
//   theirs: tickets_status_updated, tickets_status_due); "all" and a customer's tickets get theirs;
// - folder counts live in ticket_counts, kept by triggers in the same transaction as every
//   insert, status or department change and delete of a ticket, so no code path can forget them
//   and a page view never counts rows;
// - messages get a column for their HTML as the current sanitizer renders it, filled on first
//   view (the sanitizer is app code, so this migration cannot fill it).
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index tickets_activity on tickets (last_message_at)`.execute(db);
  await sql`create index tickets_due on tickets
    (coalesce(sla_due_at, 9223372036854775807) desc, last_message_at)`.execute(db);
  // Supersedes tickets_customer (customer_id), which this one covers as a prefix.
  await sql`create index tickets_customer_activity on tickets (customer_id, last_message_at)`
    .execute(db);
  await sql`drop index tickets_customer`.execute(db);

  await sql`create table ticket_counts (
    status text not null,
    department_id integer not null,
    count integer not null,
    primary key (status, department_id)
  ) without rowid`.execute(db);
  await sql`insert into ticket_counts (status, department_id, count)
    select status, department_id, count(*) from tickets group by status, department_id`
    .execute(db);
  await sql`create trigger ticket_counts_insert after insert on tickets begin
    insert into ticket_counts (status, department_id, count)
      values (new.status, new.department_id, 1)
      on conflict (status, department_id) do update set count = count + 1;
  end`.execute(db);
  await sql`create trigger ticket_counts_delete after delete on tickets begin
    update ticket_counts set count = count - 1
      where status = old.status and department_id = old.department_id;
  end`.execute(db);
  await sql`create trigger ticket_counts_update after update of status, department_id on tickets
    when old.status is not new.status or old.department_id is not new.department_id begin
    update ticket_counts set count = count - 1
      where status = old.status and department_id = old.department_id;
    insert into ticket_counts (status, department_id, count)
      values (new.status, new.department_id, 1)
      on conflict (status, department_id) do update set count = count + 1;
  end`.execute(db);

  // The sanitizer's output and its version (mail/sanitize_html.ts SANITIZER_VERSION); a row
  // sanitized by an older version is sanitized again when next shown.
  await sql`alter table messages add column html_safe text`.execute(db);
  await sql`alter table messages add column html_safe_version integer`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table messages drop column html_safe_version`.execute(db);
  await sql`alter table messages drop column html_safe`.execute(db);
  await sql`drop trigger ticket_counts_update`.execute(db);
  await sql`drop trigger ticket_counts_delete`.execute(db);
  await sql`drop trigger ticket_counts_insert`.execute(db);
  await sql`drop table ticket_counts`.execute(db);
  await sql`create index tickets_customer on tickets (customer_id)`.execute(db);
  await sql`drop index tickets_customer_activity`.execute(db);
  await sql`drop index tickets_due`.execute(db);
  await sql`drop index tickets_activity`.execute(db);
}
