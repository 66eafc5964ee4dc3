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
import { htmlToText, indexedBody, indexTokens } from "../domain/search_text.ts";

/** Messages indexed per statement batch. */
const BATCH = 500;

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
  size: { batch: number; batchesPerTransaction: number } = {
    batch: BATCH,
    batchesPerTransaction: 10,
  },
): Promise<number> {
  const total = Number(
    (await sql<{ n: number }>`select count(*) as n from search_pending`.execute(db)).rows[0].n,
  );
  let done = 0;
  while (done < total) {
    const n = await db.transaction().execute(async (tx) => {
      let n = 0;
      for (let i = 0; i < size.batchesPerTransaction; i++) n += await indexBatch(tx, size.batch);
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
  const words = new Set<string>();
  const addWords = (tokens: string) => {
    for (const w of tokens.split(" ")) if (w && w.codePointAt(0)! < CJK_START) words.add(w);
    return tokens;
  };
  const values = rows.map((r) => {
    const body = indexedBody(
      r.text_body.trim() || (r.html_body ? htmlToText(indexedBody(r.html_body)) : ""),
    );
    return sql`(${r.id}, ${addWords(indexTokens(r.subject))}, ${addWords(indexTokens(body))},
      ${addWords(indexTokens((files.get(r.id) ?? []).join(" ")))},
      ${addWords(indexTokens(`${r.name} ${r.email}`))})`;
  });
  // 100 rows (500 parameters) per statement.
  for (let i = 0; i < values.length; i += 100) {
    await sql`insert into search_fts (rowid, subject, body, files, customer)
      values ${sql.join(values.slice(i, i + 100))}`.execute(tx);
  }
  const list = [...words];
  for (let i = 0; i < list.length; i += 500) {
    await sql`insert or ignore into search_words (word) values ${
      sql.join(list.slice(i, i + 500).map((w) => sql`(${w})`))
    }`.execute(tx);
  }
}

/** Tokens from this code point on are CJK (bigrams, characters); below, words (migration 0024). */
const CJK_START = 0x2e80;
/** A prefix that starts more indexed words than this is left to FTS5's prefix query. */
export const PREFIX_EXPANSION_MAX = 24;

/**
 * For each prefix, the indexed words it starts (itself included if indexed), or nothing when it
 * starts more than PREFIX_EXPANSION_MAX of them (the caller keeps FTS5's prefix query then).
 */
export async function wordsStarting(
  db: Db,
  prefixes: string[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const prefix of prefixes) {
    const rows = (await sql<{ word: string }>`select word from search_words
      where word >= ${prefix} and word < ${prefix + "\u{10ffff}"}
      order by word limit ${PREFIX_EXPANSION_MAX + 1}`.execute(db)).rows;
    if (rows.length <= PREFIX_EXPANSION_MAX) out.set(prefix, rows.map((r) => r.word));
  }
  return out;
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
  /** Tickets to skip and to return. */
  offset: number;
  limit: number;
  /** The walk's bounds (tests shrink them; defaults WALK_FIRST, WALK_LIMIT, FILTER_FIRST_MAX). */
  bounds?: { walkFirst: number; walkLimit: number; filterFirstMax: number };
}

/** A matching ticket and the message of it shown: the newest (or best) match. */
export interface TicketHit {
  ticketId: number;
  messageId: number;
}

/** Matching tickets counted at most; past it the total reads "COUNT_LIMIT or more". */
export const COUNT_LIMIT = 1000;
/** Matching messages the first walk takes (newest first) to find COUNT_LIMIT tickets. */
export const WALK_FIRST = 4_000;
/** Matching messages walked at most when the first walk fell short. */
export const WALK_LIMIT = 16_000;
/** A filter that leaves at most this many tickets is applied first when the walk fell short. */
export const FILTER_FIRST_MAX = 1_000;

export interface TicketSearchResult {
  hits: TicketHit[];
  /** Matching tickets, counted up to COUNT_LIMIT. */
  total: number;
  /** False when the walk stopped at WALK_LIMIT messages first: `total` is a lower bound. */
  exact: boolean;
  /** How the query ran (for benches and tests): index first or filter first. */
  plan: "walk" | "filter-first";
}

function ticketFilterSql(f: SearchFilters): RawBuilder<unknown>[] {
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
  if (f.hasAttachment) {
    parts.push(sql`exists (select 1 from messages am join attachments a on a.message_id = am.id
      where am.ticket_id = t.id)`);
  }
  return parts;
}

function messageFilterSql(f: SearchFilters): RawBuilder<unknown>[] {
  const parts: RawBuilder<unknown>[] = [];
  if (f.from !== undefined) parts.push(sql`m.created_at >= ${f.from}`);
  if (f.to !== undefined) parts.push(sql`m.created_at < ${f.to}`);
  return parts;
}

const and = (parts: RawBuilder<unknown>[]) =>
  parts.length ? sql` and ${sql.join(parts, sql` and `)}` : sql``;

/**
 * How many tickets the indexed filters leave at most (maintained counters for status and
 * department, index ranges for assignee and tag), or null without such a filter.
 */
async function filteredTickets(
  db: Db,
  f: SearchFilters,
  max: number,
): Promise<number | null> {
  const bounds: number[] = [];
  const cap = max + 1;
  const departments = f.departmentId !== undefined
    ? [f.departmentId].filter((d) => !f.departmentIds || f.departmentIds.includes(d))
    : f.departmentIds;
  if (f.status || departments) {
    const where = [
      ...(f.status ? [sql`status = ${f.status}`] : []),
      ...(departments ? [sql`department_id in (${sql.join([...departments, -1])})`] : []),
    ];
    bounds.push(Number(
      (await sql<{ n: number | null }>`select sum(count) as n from ticket_counts
        where ${sql.join(where, sql` and `)}`.execute(db)).rows[0].n ?? 0,
    ));
  }
  if (f.assignee !== undefined) {
    const who = f.assignee === null ? sql`assignee_id is null` : sql`assignee_id = ${f.assignee}`;
    bounds.push(Number(
      (await sql<{ n: number }>`select count(*) as n from (
        select 1 from tickets where ${who} limit ${cap})`.execute(db)).rows[0].n,
    ));
  }
  if (f.tag !== undefined) {
    bounds.push(Number(
      (await sql<{ n: number }>`select count(*) as n from (select 1 from ticket_tags tt
        join tags g on g.id = tt.tag_id where g.name = ${f.tag} limit ${cap})`.execute(db))
        .rows[0].n,
    ));
  }
  return bounds.length ? Math.min(...bounds) : null;
}

/**
 * One page of matching tickets, each with its newest matching message (best match first: the
 * best-ranked message), and how many tickets match (up to COUNT_LIMIT).
 *
 * Index first (the usual case): walk the index's matches newest first (rowid order, nothing
 * ranked), each with its ticket through a narrow covering index, and keep the newest match of
 * each ticket; a first walk of WALK_FIRST matches usually finds COUNT_LIMIT tickets, otherwise a
 * second goes up to WALK_LIMIT. Filter first, when the first walk fell short and an indexed
 * filter leaves at most FILTER_FIRST_MAX tickets (an agent's tickets, a rare tag): the matches
 * become a set once and only those tickets' messages are tested against it, so a common word
 * with a rare filter neither walks every match nor misses old tickets.
 */
export async function searchTicketHits(db: Db, q: SearchQuery): Promise<TicketSearchResult> {
  const bounds = q.bounds ??
    { walkFirst: WALK_FIRST, walkLimit: WALK_LIMIT, filterFirstMax: FILTER_FIRST_MAX };
  let walked = await walkNewest(db, q, bounds.walkFirst);
  if (!walked.exact) {
    const few = await filteredTickets(db, q, bounds.filterFirstMax);
    walked = few !== null && few <= bounds.filterFirstMax
      ? { ...await filterFirst(db, q), walked: 0 }
      : await walkNewest(db, q, bounds.walkLimit);
  }
  const { walked: reach, ...found } = walked;
  // Best match first ranks within the matches the count walked (filter first: newest order).
  if (q.sort !== "relevance" || found.plan !== "walk") return found;
  return { ...found, hits: await ranked(db, q, reach) };
}

/**
 * Walks the newest `limit` matches (whether or not they pass the filters); `exact` is false when
 * there were more and fewer than COUNT_LIMIT tickets were found.
 */
async function walkNewest(
  db: Db,
  q: SearchQuery,
  limit: number,
): Promise<TicketSearchResult & { walked: number }> {
  const ticketFilters = ticketFilterSql(q);
  const filters = and([...ticketFilters, ...messageFilterSql(q)]);
  const join = ticketFilters.length
    ? sql`join tickets t indexed by tickets_search_filter on t.id = m.ticket_id`
    : sql``;
  // The matches alone first (rowids, cheap), then each one's ticket and the filters.
  const rows = (await sql<{ ticket_id: number; id: number; walked: number }>`
    with h as materialized (select rowid as id from search_fts
      where search_fts match ${q.match} order by rowid desc limit ${limit})
    select m.ticket_id, max(h.id) as id, (select count(*) from h) as walked
    from h join messages m indexed by messages_search_walk on m.id = h.id ${join}
    where 1 = 1${filters}
    group by m.ticket_id order by id desc limit ${COUNT_LIMIT}`.execute(db)).rows;
  const walked = rows.length ? Number(rows[0].walked) : Number(
    (await sql<{ n: number }>`select count(*) as n from (select rowid from search_fts
      where search_fts match ${q.match} order by rowid desc limit ${limit})`.execute(db))
      .rows[0].n,
  );
  const seen = new Map(rows.map((r) => [Number(r.ticket_id), Number(r.id)]));
  const exact = walked < limit || seen.size >= COUNT_LIMIT;
  return { ...result(seen, q, exact, "walk"), walked };
}

function result(
  seen: Map<number, number>,
  q: SearchQuery,
  exact: boolean,
  plan: TicketSearchResult["plan"],
): TicketSearchResult {
  const hits = [...seen].slice(q.offset, q.offset + q.limit)
    .map(([ticketId, messageId]) => ({ ticketId, messageId }));
  return { hits, total: Math.min(seen.size, COUNT_LIMIT), exact, plan };
}

async function filterFirst(db: Db, q: SearchQuery): Promise<TicketSearchResult> {
  const filters = and([...ticketFilterSql(q), ...messageFilterSql(q)]);
  // `+m.id`: test each filtered message against the set of matches instead of walking them.
  const rows = (await sql<{ ticket_id: number; id: number }>`
    select m.ticket_id, max(m.id) as id from tickets t
    join messages m on m.ticket_id = t.id
    where +m.id in (select rowid from search_fts where search_fts match ${q.match})${filters}
    group by m.ticket_id order by id desc limit ${COUNT_LIMIT}`.execute(db)).rows;
  const seen = new Map(rows.map((r) => [Number(r.ticket_id), Number(r.id)]));
  return result(seen, q, true, "filter-first");
}

/**
 * Best match first: BM25 over the newest `reach` matches (those the count walked), the best
 * message of each ticket that passes the filters.
 */
async function ranked(db: Db, q: SearchQuery, reach: number): Promise<TicketHit[]> {
  const ticketFilters = ticketFilterSql(q);
  const filters = and([...ticketFilters, ...messageFilterSql(q)]);
  const join = ticketFilters.length
    ? sql`join tickets t indexed by tickets_search_filter on t.id = m.ticket_id`
    : sql``;
  const rows = (await sql<{ ticket_id: number; id: number }>`
    with h as materialized (select rowid as id, bm25(search_fts, 4.0, 1.0, 2.0, 2.0) as score
      from search_fts where search_fts match ${q.match}
      order by rowid desc limit ${Math.max(reach, 1)})
    select m.ticket_id, h.id, min(h.score) as score
    from h join messages m indexed by messages_search_walk on m.id = h.id ${join}
    where 1 = 1${filters}
    group by m.ticket_id order by score, h.id desc limit ${q.limit} offset ${q.offset}`.execute(db))
    .rows;
  return rows.map((r) => ({ ticketId: Number(r.ticket_id), messageId: Number(r.id) }));
}

/** What the results show of each ticket and message. */
export interface HitDetails {
  messages: Map<number, {
    direction: string;
    createdAt: number;
    text: string;
    htmlBody: string | null;
    files: string[];
  }>;
  tickets: Map<number, {
    number: number;
    subject: string;
    status: string;
    customerName: string;
    customerEmail: string;
  }>;
}

/** The messages and tickets of a page of hits. */
export async function hitDetails(db: Db, hits: TicketHit[]): Promise<HitDetails> {
  const out: HitDetails = { messages: new Map(), tickets: new Map() };
  if (hits.length === 0) return out;
  const messageIds = hits.map((h) => h.messageId);
  const ticketIds = hits.map((h) => h.ticketId);
  const files = new Map<number, string[]>();
  for (
    const a of await db.selectFrom("attachments").select(["message_id", "filename"])
      .where("message_id", "in", messageIds).execute()
  ) files.set(a.message_id, [...(files.get(a.message_id) ?? []), a.filename]);
  for (
    const m of await db.selectFrom("messages")
      .select(["id", "direction", "created_at", "text_body", "html_body"])
      .where("id", "in", messageIds).execute()
  ) {
    out.messages.set(m.id, {
      direction: m.direction,
      createdAt: m.created_at,
      text: m.text_body,
      htmlBody: m.html_body,
      files: files.get(m.id) ?? [],
    });
  }
  for (
    const t of await db.selectFrom("tickets")
      .innerJoin("customers", "customers.id", "tickets.customer_id")
      .select([
        "tickets.id",
        "tickets.number",
        "tickets.subject",
        "tickets.status",
        "customers.name",
        "customers.email",
      ])
      .where("tickets.id", "in", ticketIds).execute()
  ) {
    out.tickets.set(t.id, {
      number: t.number,
      subject: t.subject,
      status: t.status,
      customerName: t.name,
      customerEmail: t.email,
    });
  }
  return out;
}

/** Messages still waiting to be indexed (0 outside a write transaction, once the store is open). */
export async function pendingCount(db: Db | Tx): Promise<number> {
  return Number(
    (await sql<{ n: number }>`select count(*) as n from search_pending`.execute(db)).rows[0].n,
  );
}
