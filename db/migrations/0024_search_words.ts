// Frozen in time: this migration imports no application code.
// The words of the full-text index (issue 11): every Latin (non-CJK) token the index holds, so a
// prefix query (`deliv` → delivery, delivered) becomes an OR of the few exact words it starts
// instead of FTS5's prefix scan, which merges the whole doclist of every such word before it can
// return the newest hit (47 ms for `invoice*` at 1 M messages against 0.3 ms for the OR).
// The indexer adds a message's words as it indexes it (db/search.ts); words are never removed (a
// word without hits only makes an OR one term longer). Existing words come from the index's own
// vocabulary (one pass over it, seconds at 1 M messages).
// And a narrow covering index from a message id to its ticket and time: a search walks the index's
// matches newest first and needs each one's ticket; looked up in `messages` itself (wide rows,
// bodies inline) that costs a page read per match, here a few hundred matches share a page
// (20 000 matches: 16 ms instead of 48 ms). The same for a ticket's filterable fields.
import { type Kysely, sql } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table search_words (word text primary key) without rowid`.execute(db);
  await sql`create virtual table temp.search_vocab_0024 using fts5vocab(main, search_fts, 'row')`
    .execute(db);
  // CJK bigrams and single characters start at U+2E80 or above; Latin words, digits and
  // addresses below.
  await sql`insert or ignore into search_words (word)
    select term from temp.search_vocab_0024 where unicode(term) < 11904`.execute(db);
  await sql`drop table temp.search_vocab_0024`.execute(db);
  await sql`create index messages_search_walk on messages (id, ticket_id, created_at)`.execute(db);
  await sql`create index tickets_search_filter on tickets
    (id, status, department_id, assignee_id, channel)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index tickets_search_filter`.execute(db);
  await sql`drop index messages_search_walk`.execute(db);
  await sql`drop table search_words`.execute(db);
}
