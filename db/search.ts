/**
 * The full-text index (migration 0015) and search over it.
 *
 * Triggers queue changed messages in search_pending inside the writing transaction; `flushSearch`
 * (run by the writer just before every commit) re-indexes them with the normalisation of
 * domain/search_text.ts, so the index never lags a committed write. A search walks the FTS index
 * newest message first (its rowid order), applies the filters to each hit and stops at the page's
 * end; the count stops at COUNT_LIMIT, so a query that matches half the database stays cheap.
 */
import { type Kysely, type RawBuilder, sql } from "kysely";
import type { Db, Tx } from "./client.ts";
import type { Database } from "./schema.ts";
import { htmlToText, indexTokens } from "../domain/search_text.ts";

/** Messages indexed per statement batch. */
const BATCH = 500;
/** Matches counted at most; past it the total reads "COUNT_LIMIT or more". */
export const COUNT_LIMIT = 1000;

/** Re-indexes every queued message (call inside the writing transaction, before commit). */
export async function flushSearch(tx: Kysely<Database>): Promise<number> {
  let done = 0;
  for (;;) {
    const n = await indexBatch(tx, BATCH);
    if (n === 0) return done;
    done += n;
  }
}

/** Indexes up to `limit` queued messages; returns how many. */
async function indexBatch(tx: Kysely<Database>, limit: number): Promise<number> {
  const queued = (await sql<{ message_id: number; fresh: number }>`
    select message_id, fresh from search_pending order by message_id limit ${limit}`.execute(tx))
    .rows;
  if (queued.length === 0) return 0;
  const ids = queued.map((r) => Number(r.message_id));
  const stale = queued.filter((r) => !Number(r.fresh)).map((r) => Number(r.message_id));
  await indexMessages(tx, ids, stale);
  await sql`delete from search_pending where message_id in (${sql.join(ids)})`.execute(tx);
  return ids.length;
}

/**
 * Indexes everything still queued (after migration 0015 on an existing database) in batches of
 * their own transactions, reporting progress.
 */
export async function indexPending(
  db: Db,
  onProgress?: (done: number, total: number) => void,
): Promise<number> {
  const total = Number(
    (await sql<{ n: number }>`select count(*) as n from search_pending`.execute(db)).rows[0].n,
  );
  let done = 0;
  while (done < total) {
    const n = await db.transaction().execute(async (tx) => {
      let n = 0;
      for (let i = 0; i < 10; i++) n += await indexBatch(tx, BATCH);
      return n;
    });
    if (n === 0) break;
    done += n;
    onProgress?.(done, total);
  }
  return done;
}

/** (Re)writes the rows of `ids`; `stale` are those that may have an old row to delete first. */
async function indexMessages(tx: Kysely<Database>, ids: number[], stale: number[]): Promise<void> {
  const rows = await tx.selectFrom("messages")
    .innerJoin("tickets", "tickets.id", "messages.ticket_id")
    .innerJoin("customers", "customers.id", "tickets.customer_id")
    .select([
      "messages.id",
      "messages.text_body",
      "messages.html_body",
      "tickets.subject",
      "customers.name",
      "customers.email",
    ])
    .where("messages.id", "in", ids)
    .execute();
  const files = new Map<number, string[]>();
  for (
    const a of await tx.selectFrom("attachments").select(["message_id", "filename"])
      .where("message_id", "in", ids).execute()
  ) files.set(a.message_id, [...(files.get(a.message_id) ?? []), a.filename]);
  if (stale.length) {
    await sql`delete from search_fts where rowid in (${sql.join(stale)})`.execute(tx);
  }
  const values = rows.map((r) => {
    const body = r.text_body.trim() || (r.html_body ? htmlToText(r.html_body) : "");
    return sql`(${r.id}, ${indexTokens(r.subject)}, ${indexTokens(body)},
      ${indexTokens((files.get(r.id) ?? []).join(" "))}, ${indexTokens(`${r.name} ${r.email}`)})`;
  });
  // 100 rows (500 parameters) per statement.
  for (let i = 0; i < values.length; i += 100) {
    await sql`insert into search_fts (rowid, subject, body, files, customer)
      values ${sql.join(values.slice(i, i + 100))}`.execute(tx);
  }
}

/** Filters of a search; all optional. */
export interface SearchFilters {
  status?: string;
  departmentId?: number;
  channel?: string;
  /** Messages written at or after (epoch ms). */
  from?: number;
  /** Messages written before (epoch ms). */
  to?: number;
  hasAttachment?: boolean;
  /** Only tickets of this agent (a number) or unassigned ones (null). */
  assignee?: number | null;
  /** Only tickets carrying the tag of this name. */
  tag?: string;
  /** A restricted agent sees only these departments' tickets. */
  departmentIds?: number[];
}

export interface SearchQuery extends SearchFilters {
  /** An FTS5 expression (domain/search_text.ts matchExpression). */
  match: string;
  sort: "newest" | "relevance";
  offset: number;
  limit: number;
}

export interface SearchHit {
  messageId: number;
  direction: string;
  createdAt: number;
  text: string;
  htmlBody: string | null;
  ticket: {
    id: number;
    number: number;
    subject: string;
    status: string;
    customerName: string;
    customerEmail: string;
  };
  files: string[];
}

function filterSql(f: SearchFilters) {
  const parts: RawBuilder<unknown>[] = [];
  if (f.status) parts.push(sql`t.status = ${f.status}`);
  if (f.departmentId !== undefined) parts.push(sql`t.department_id = ${f.departmentId}`);
  if (f.channel) parts.push(sql`t.channel = ${f.channel}`);
  if (f.assignee === null) parts.push(sql`t.assignee_id is null`);
  else if (f.assignee !== undefined) parts.push(sql`t.assignee_id = ${f.assignee}`);
  if (f.tag !== undefined) {
    parts.push(sql`exists (select 1 from ticket_tags tt join tags g on g.id = tt.tag_id
      where tt.ticket_id = t.id and g.name = ${f.tag})`);
  }
  if (f.departmentIds) {
    parts.push(sql`t.department_id in (${sql.join([...f.departmentIds, -1])})`);
  }
  if (f.from !== undefined) parts.push(sql`m.created_at >= ${f.from}`);
  if (f.to !== undefined) parts.push(sql`m.created_at < ${f.to}`);
  if (f.hasAttachment) {
    parts.push(sql`exists (select 1 from messages am join attachments a on a.message_id = am.id
      where am.ticket_id = t.id)`);
  }
  return parts.length ? sql` and ${sql.join(parts, sql` and `)}` : sql``;
}

/** One page of messages matching the query, and how many match (at most COUNT_LIMIT). */
export async function searchMessages(
  db: Db,
  q: SearchQuery,
): Promise<{ hits: SearchHit[]; total: number }> {
  const filters = filterSql(q);
  const order = q.sort === "relevance"
    ? sql`order by bm25(search_fts, 4.0, 1.0, 2.0, 2.0), m.id desc`
    : sql`order by search_fts.rowid desc`;
  const rows = (await sql<{
    id: number;
    direction: string;
    created_at: number;
    text_body: string;
    html_body: string | null;
    ticket_id: number;
    number: number;
    subject: string;
    status: string;
    name: string;
    email: string;
  }>`select m.id, m.direction, m.created_at, m.text_body, m.html_body, t.id as ticket_id,
      t.number, t.subject, t.status, c.name, c.email
    from search_fts
    join messages m on m.id = search_fts.rowid
    join tickets t on t.id = m.ticket_id
    join customers c on c.id = t.customer_id
    where search_fts match ${q.match}${filters}
    ${order} limit ${q.limit} offset ${q.offset}`.execute(db)).rows;
  const total = Number(
    (await sql<{ n: number }>`select count(*) as n from (
      select 1 from search_fts
      join messages m on m.id = search_fts.rowid
      join tickets t on t.id = m.ticket_id
      where search_fts match ${q.match}${filters} limit ${COUNT_LIMIT})`.execute(db)).rows[0].n,
  );
  const ids = rows.map((r) => r.id);
  const files = new Map<number, string[]>();
  if (ids.length) {
    for (
      const a of await db.selectFrom("attachments").select(["message_id", "filename"])
        .where("message_id", "in", ids).execute()
    ) files.set(a.message_id, [...(files.get(a.message_id) ?? []), a.filename]);
  }
  return {
    total,
    hits: rows.map((r) => ({
      messageId: r.id,
      direction: r.direction,
      createdAt: r.created_at,
      text: r.text_body,
      htmlBody: r.html_body,
      ticket: {
        id: r.ticket_id,
        number: r.number,
        subject: r.subject,
        status: r.status,
        customerName: r.name,
        customerEmail: r.email,
      },
      files: files.get(r.id) ?? [],
    })),
  };
}

/** Messages still waiting to be indexed (0 outside a write transaction, once the store is open). */
export async function pendingCount(db: Db | Tx): Promise<number> {
  return Number(
    (await sql<{ n: number }>`select count(*) as n from search_pending`.execute(db)).rows[0].n,
  );
}
