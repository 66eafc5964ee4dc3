// Frozen in time: this migration imports no application code.
// Full-text search (issue 11): one FTS5 row per message (rowid = messages.id) over the ticket's
// subject, the message body, its attachment names and the customer's name and address, as tokens
// that the application normalises (NFKC, lower case, CJK bigrams: domain/search_text.ts). SQL cannot
// normalise, so triggers only record WHICH messages changed, in search_pending, in the same
// transaction as the change, whatever code path made it; the writer (db/client.ts) re-indexes
// those rows before that transaction commits. Deleting a message deletes its row directly.
// Existing messages are all queued here and indexed in batches, with progress, when the store opens.
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  // Contentless (the text lives in messages; snippets are cut from it), with DELETE allowed.
  await sql`create virtual table search_fts using fts5(
    subject, body, files, customer,
    tokenize = "unicode61 remove_diacritics 0 tokenchars '@.'",
    content = '', contentless_delete = 1
  )`.execute(db);
  // fresh = 1: never indexed yet (a new message), so there is no old row to delete first, which
  // is the costly part of a contentless FTS5 update.
  await sql`create table search_pending (
    message_id integer primary key,
    fresh integer not null default 0
  )`.execute(db);

  await sql`create trigger search_message_insert after insert on messages begin
    insert or ignore into search_pending (message_id, fresh) values (new.id, 1);
  end`.execute(db);
  await sql`create trigger search_message_update after update of text_body, html_body, ticket_id
    on messages begin
    insert or ignore into search_pending (message_id) values (new.id);
  end`.execute(db);
  await sql`create trigger search_message_delete after delete on messages begin
    delete from search_fts where rowid = old.id;
    delete from search_pending where message_id = old.id;
  end`.execute(db);
  await sql`create trigger search_attachment_insert after insert on attachments begin
    insert or ignore into search_pending (message_id) values (new.message_id);
  end`.execute(db);
  await sql`create trigger search_attachment_delete after delete on attachments begin
    insert or ignore into search_pending (message_id)
      select id from messages where id = old.message_id;
  end`.execute(db);
  await sql`create trigger search_ticket_update after update of subject, customer_id on tickets
    when old.subject is not new.subject or old.customer_id is not new.customer_id begin
    insert or ignore into search_pending (message_id)
      select id from messages where ticket_id = new.id;
  end`.execute(db);
  await sql`create trigger search_customer_update after update of name, email on customers
    when old.name is not new.name or old.email is not new.email begin
    insert or ignore into search_pending (message_id)
      select m.id from tickets t join messages m on m.ticket_id = t.id
      where t.customer_id = new.id;
  end`.execute(db);

  await sql`insert into search_pending (message_id, fresh) select id, 1 from messages`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (
    const name of [
      "search_message_insert",
      "search_message_update",
      "search_message_delete",
      "search_attachment_insert",
      "search_attachment_delete",
      "search_ticket_update",
      "search_customer_update",
    ]
  ) await sql.raw(`drop trigger ${name}`).execute(db);
  await sql`drop table search_pending`.execute(db);
  await sql`drop table search_fts`.execute(db);
}
