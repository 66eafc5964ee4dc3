// Frozen in time: this migration imports no application code.
// The workspace's navigation shows how many tickets of the folder carry each tag (issue 9). Like
// ticket_counts (0010) the numbers live in a table kept by triggers in the same transaction as
// every tagging, untagging, status or department change, so a page view reads O(tags) rows
// instead of joining every tagged ticket.
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table tag_counts (
    tag_id integer not null,
    status text not null,
    department_id integer not null,
    count integer not null,
    primary key (tag_id, status, department_id)
  ) without rowid`.execute(db);
  await sql`insert into tag_counts (tag_id, status, department_id, count)
    select tt.tag_id, t.status, t.department_id, count(*)
      from ticket_tags tt join tickets t on t.id = tt.ticket_id
      group by tt.tag_id, t.status, t.department_id`.execute(db);
  // "where" after the select keeps SQLite from reading "on conflict" as a join constraint.
  await sql`create trigger tag_counts_tag after insert on ticket_tags begin
    insert into tag_counts (tag_id, status, department_id, count)
      select new.tag_id, status, department_id, 1 from tickets where id = new.ticket_id
      on conflict (tag_id, status, department_id) do update set count = count + 1;
  end`.execute(db);
  await sql`create trigger tag_counts_untag after delete on ticket_tags begin
    update tag_counts set count = count - 1
      where tag_id = old.tag_id
        and (status, department_id) =
          (select status, department_id from tickets where id = old.ticket_id);
  end`.execute(db);
  await sql`create trigger tag_counts_ticket after update of status, department_id on tickets
    when old.status is not new.status or old.department_id is not new.department_id begin
    update tag_counts set count = count - 1
      where status = old.status and department_id = old.department_id
        and tag_id in (select tag_id from ticket_tags where ticket_id = new.id);
    insert into tag_counts (tag_id, status, department_id, count)
      select tag_id, new.status, new.department_id, 1 from ticket_tags where ticket_id = new.id
      on conflict (tag_id, status, department_id) do update set count = count + 1;
  end`.execute(db);
  await sql`create trigger tag_counts_drop after delete on tags begin
    delete from tag_counts where tag_id = old.id;
  end`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger tag_counts_drop`.execute(db);
  await sql`drop trigger tag_counts_ticket`.execute(db);
  await sql`drop trigger tag_counts_untag`.execute(db);
  await sql`drop trigger tag_counts_tag`.execute(db);
  await sql`drop table tag_counts`.execute(db);
}
