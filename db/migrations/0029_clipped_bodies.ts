// Frozen in time: this migration imports no application code.
// A mail's text or HTML part longer than the parser keeps (mail/parse.ts, MAX_SHOWN_CHARS) is
// stored clipped; these say how long the whole part was, in characters, so the conversation can
// say it shows only the beginning and point to the original mail. Null: stored whole. The raw
// mail is then the only whole copy: housekeeping keeps it, found through the partial index.
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table messages add column text_full_chars integer`.execute(db);
  await sql`alter table messages add column html_full_chars integer`.execute(db);
  await sql`create index messages_clipped_raw on messages (raw_id)
    where text_full_chars is not null or html_full_chars is not null`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index messages_clipped_raw`.execute(db);
  await sql`alter table messages drop column html_full_chars`.execute(db);
  await sql`alter table messages drop column text_full_chars`.execute(db);
}
