/**
 * The inbox list: one page of a folder in one of three orders, paged by key (a cursor), and the
 * folder counts. Each page costs O(page) at any number of tickets:
 *
 * - every folder and order walks an index that matches it (status folders: tickets_status_updated
 *   and tickets_status_due; すべて: tickets_activity and tickets_due; a customer's:
 *   tickets_customer_activity), the ticket id breaking ties (it is the rowid the index ends in);
 * - the page after (or before) a row is found by seeking to it, never by OFFSET over rows (a bare
 *   `?page=` walks the index for the keys of the row before it, then seeks). A sort on keys
 *   k1…kn (last one the id) reads, in order, the rows equal on k1…k(n-1) and after kn, then equal
 *   on k1…k(n-2) and after k(n-1), and so on: each part is one index seek, unlike an OR of them,
 *   which SQLite would answer by scanning from the start of the folder;
 * - counts come from ticket_counts (migration 0010: triggers keep it in every write transaction);
 *   a list the counters cannot count (an assignee, tag, priority, SLA state or search) is counted
 *   by reading at most COUNT_CAP + 1 of its rows through the same index, shown as "1000+";
 * - the SLA views (警告 / 超過) depend on the instant, so no index can hold their order: they read
 *   the tickets whose clocks are in that state through tickets_sla_warn / tickets_sla_due
 *   (migration 0020; only running clocks have those columns) and sort that set. The other
 *   filters' and the order's index uses are switched off with a unary `+` so SQLite cannot
 *   prefer walking a whole folder in order and filtering it.
 *
 * Search (`q`) filters the same walk with LIKE, so it still scans; full-text search replaces that.
 */
import { type RawBuilder, type SelectQueryBuilder, sql } from "kysely";
import type { Db } from "./client.ts";
import type { Database } from "./schema.ts";
import { isTicketStatus, STATUSES, type TicketStatus } from "../domain/ticket_status.ts";
import type { TicketSummary } from "./tickets.ts";

export const INBOX_SORTS = ["newest", "oldest", "due"] as const;

/** SLA state views: warned but not yet due, and past due. */
export const SLA_VIEWS = ["warning", "breached"] as const;
export type SlaView = typeof SLA_VIEWS[number];

/** Counts that cannot come from the counters read at most this many rows (then "1000+"). */
export const COUNT_CAP = 1000;
export type InboxSort = typeof INBOX_SORTS[number];

/** `?page=` stays for old links and API clients, but never reads further than this. */
export const MAX_PAGE_OFFSET = 10_000;

export interface InboxQuery {
  status?: TicketStatus;
  customerId?: number;
  /** Latest activity first (default), earliest first, or nearest SLA deadline first. */
  sort?: InboxSort;
  /** A cursor from a previous page's `next` or `prev`; wins over `page`. */
  cursor?: string;
  /** 1-based page number, for compatibility; bounded by MAX_PAGE_OFFSET. */
  page?: number;
  /** A page past the end gives the last page (the inbox) instead of none (the API). */
  clampPage?: boolean;
  perPage?: number;
  search?: string;
  /** Only these departments (a restricted agent's, or a department view). */
  departmentIds?: readonly number[];
  /** Only one agent's tickets, or the unassigned ones. */
  assignee?: number | "none";
  tagId?: number;
  priority?: string;
  /** Only tickets whose nearest SLA deadline is in this state at `now`. */
  sla?: SlaView;
  /** The instant the SLA state is judged at (required with `sla`). */
  now?: number;
  /** Created in [createdFrom, createdTo) (links from report figures; tickets_created). */
  createdFrom?: number;
  createdTo?: number;
  channel?: string;
  /** The web form's category (ticket_report_facts.category). */
  category?: string;
  /** Needing work (未対応/対応中) with an SLA deadline before this instant (tickets_due). */
  dueBefore?: number;
  /** Only tickets not yet resolved (未対応, 対応中, 保留): an agent's open load. */
  unresolved?: boolean;
  /** Created in any of these [from, to) ranges (a heat map cell's hours; tickets_created). */
  createdIn?: readonly [number, number][];
  /** Replied to by an agent (or this agent) in [fromMs, toMs) (messages_agent_replies). */
  repliedIn?: { fromMs: number; toMs: number; agentId?: number };
  /** Reopened at least once (ticket_report_facts.reopen_count). */
  reopened?: boolean;
  /** Only these tickets (an SLA figure's, judged by services/reports.ts slaResultTicketIds). */
  ticketIds?: readonly number[];
}

export interface TicketPage {
  tickets: TicketSummary[];
  /** Tickets in the folder (with the search: matching it); COUNT_CAP when `totalCapped`. */
  total: number;
  /** More than COUNT_CAP tickets match (a count the counters cannot give is bounded). */
  totalCapped: boolean;
  /** Position of the first row in the folder (0-based), for "51–100 / 1 234". */
  offset: number;
  /** Cursor of the next page, null on the last one. */
  next: string | null;
  /** Cursor of the previous page, "" when that is the first page, null on the first page. */
  prev: string | null;
}

/** Thrown for a cursor that is not one of ours (or not for this order). */
export class BadCursorError extends Error {
  override name = "BadCursorError";
}

type Tickets = SelectQueryBuilder<Database, "tickets" | "customers", Record<never, never>>;
type Row = TicketSummary & { dueAt: number | null };
type KeyValue = number | null;
interface Key {
  expr: RawBuilder<number>;
  dir: "asc" | "desc";
  pick: (r: Row) => KeyValue;
  /** What a cursor's value compares as (a missing deadline as the largest integer). */
  operand?: (v: KeyValue) => RawBuilder<number>;
}

// The nearest stored SLA deadline, a missing one last. A literal, not a parameter, so SQLite
// matches the expression indexes tickets_status_due and tickets_due.
const DUE = sql<number>`coalesce(tickets.sla_due_at, 9223372036854775807)`;
const ACTIVITY = sql<number>`tickets.last_message_at`;
const ID = sql<number>`tickets.id`;

const SORT_KEYS: Record<InboxSort, Key[]> = {
  newest: [
    { expr: ACTIVITY, dir: "desc", pick: (r) => r.lastMessageAt },
    { expr: ID, dir: "desc", pick: (r) => r.id },
  ],
  oldest: [
    { expr: ACTIVITY, dir: "asc", pick: (r) => r.lastMessageAt },
    { expr: ID, dir: "asc", pick: (r) => r.id },
  ],
  // Ties on the deadline go to the latest activity, as in the default order.
  due: [
    {
      expr: DUE,
      dir: "asc",
      pick: (r) => r.dueAt,
      // The sentinel exceeds JavaScript's safe integers, so it never leaves SQL.
      operand: (v) => sql<number>`coalesce(${v}, 9223372036854775807)`,
    },
    { expr: ACTIVITY, dir: "desc", pick: (r) => r.lastMessageAt },
    { expr: ID, dir: "desc", pick: (r) => r.id },
  ],
};

interface Cursor {
  /** The sort keys of the row the page starts after. */
  keys: KeyValue[];
  /** "a": the rows after it; "b": the rows before it (a previous page). */
  dir: "a" | "b";
  /** Position hint of the page's first row. */
  offset: number;
}

function encodeCursor(c: Cursor): string {
  const json = JSON.stringify([c.dir, c.offset, ...c.keys]);
  return btoa(json).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function decodeCursor(text: string, sort: InboxSort): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(atob(text.replace(/-/g, "+").replace(/_/g, "/")));
  } catch {
    throw new BadCursorError("Cannot read the cursor");
  }
  const keys = SORT_KEYS[sort];
  if (
    !Array.isArray(parsed) || parsed.length !== keys.length + 2 ||
    (parsed[0] !== "a" && parsed[0] !== "b") || !Number.isSafeInteger(parsed[1]) || parsed[1] < 0 ||
    !keys.every((k, i) => {
      const v = parsed[i + 2];
      return Number.isSafeInteger(v) || (v === null && k.operand !== undefined);
    })
  ) {
    throw new BadCursorError("The cursor does not belong to this list");
  }
  return { dir: parsed[0], offset: parsed[1], keys: parsed.slice(2) };
}

/** The sort keys of a list; an SLA view's keys are not indexable (see the module comment). */
function sortKeys(q: Pick<InboxQuery, "sort" | "sla">): Key[] {
  const keys = SORT_KEYS[q.sort ?? "newest"];
  return q.sla ? keys.map((k) => ({ ...k, expr: sql<number>`+${k.expr}` })) : keys;
}

/**
 * The list's rows before selecting columns. `withCustomers: false` leaves the customers join out
 * (a count needs it only to search their names): every ticket has its customer, so the rows are
 * the same, and a count of an assignee's or an SLA state's tickets reads its index alone.
 */
function baseQuery(db: Db, q: InboxQuery, withCustomers = true): Tickets {
  let base = withCustomers || q.search
    ? db.selectFrom("tickets").innerJoin("customers", "customers.id", "tickets.customer_id")
    // The filters below name only tickets' columns when there is no search.
    : db.selectFrom("tickets") as unknown as Tickets;
  // With an SLA view, only the SLA index may drive the query: `+column` is the column, unindexed.
  // deno-lint-ignore no-explicit-any
  const col = (name: "status" | "department_id" | "assignee_id" | "priority"): any =>
    q.sla ? sql`+tickets.${sql.ref(name)}` : sql.ref(`tickets.${name}`);
  if (q.status) base = base.where(col("status"), "=", q.status);
  // すべて is every folder but 迷惑メール (a customer's own list shows everything of theirs).
  else if (!q.customerId) base = base.where(col("status"), "!=", "spam");
  if (q.customerId) base = base.where("tickets.customer_id", "=", q.customerId);
  if (q.departmentIds) base = base.where(col("department_id"), "in", [...q.departmentIds, -1]);
  if (q.assignee === "none") base = base.where(col("assignee_id"), "is", null);
  else if (q.assignee !== undefined) base = base.where(col("assignee_id"), "=", q.assignee);
  if (q.priority) base = base.where(col("priority"), "=", q.priority);
  if (q.sla) {
    const now = q.now;
    if (now === undefined) throw new Error("An SLA view needs the instant");
    base = q.sla === "breached"
      ? base.where("tickets.sla_due_at", "<=", now)
      : base.where("tickets.sla_warn_at", "<=", now).where("tickets.sla_due_at", ">", now);
  }
  if (q.tagId !== undefined) {
    const tagId = q.tagId;
    base = base.where((eb) =>
      eb.exists(
        eb.selectFrom("ticket_tags").select("ticket_tags.tag_id")
          .whereRef("ticket_tags.ticket_id", "=", "tickets.id")
          .where("ticket_tags.tag_id", "=", tagId),
      )
    );
  }
  base = reportLinkFilters(base, q);
  if (q.search) {
    const like = `%${q.search.replace(/[\\%_]/g, "\\$&")}%`;
    base = base.where((eb) =>
      eb.or([
        eb("tickets.subject", "like", sql<string>`${like} escape '\\'`),
        eb("customers.email", "like", sql<string>`${like} escape '\\'`),
        eb("customers.name", "like", sql<string>`${like} escape '\\'`),
      ])
    );
  }
  return base;
}

/** The filters report figures link with: creation range, channel, category, deadline. */
function reportLinkFilters(base: Tickets, q: InboxQuery): Tickets {
  if (q.createdFrom !== undefined) base = base.where("tickets.created_at", ">=", q.createdFrom);
  if (q.createdTo !== undefined) base = base.where("tickets.created_at", "<", q.createdTo);
  if (q.channel) base = base.where("tickets.channel", "=", q.channel);
  if (q.category !== undefined) {
    const category = q.category;
    base = base.where((eb) =>
      eb.exists(
        eb.selectFrom("ticket_report_facts").select("ticket_report_facts.ticket_id")
          .whereRef("ticket_report_facts.ticket_id", "=", "tickets.id")
          .where("ticket_report_facts.category", "=", category),
      )
    );
  }
  if (q.unresolved) base = base.where("tickets.status", "in", ["new", "open", "pending"]);
  if (q.createdIn) {
    const ranges = q.createdIn;
    base = ranges.length === 0
      ? base.where(sql<boolean>`0`)
      : base.where((eb) =>
        eb.or(ranges.map(([from, to]) =>
          eb.and([eb("tickets.created_at", ">=", from), eb("tickets.created_at", "<", to)])
        ))
      );
  }
  if (q.repliedIn) {
    // The tickets of the replies sent in the range, found through the replies' own index (the
    // ticket may be older than the range), as the replies-sent figures count them.
    const r = q.repliedIn;
    base = base.where(
      "tickets.id",
      "in",
      sql<number>`(select m.ticket_id from messages m indexed by messages_agent_replies
        where m.direction = 'out' and m.agent_id is not null
          and m.created_at >= ${r.fromMs} and m.created_at < ${r.toMs}${
        r.agentId !== undefined ? sql` and m.agent_id = ${r.agentId}` : sql``
      })`,
    );
  }
  if (q.ticketIds) {
    // One JSON parameter, however many tickets (a month's SLA figure can be thousands).
    base = base.where(
      "tickets.id",
      "in",
      sql<number>`(select value from json_each(${JSON.stringify(q.ticketIds)}))`,
    );
  }
  if (q.reopened) {
    base = base.where((eb) =>
      eb.exists(
        eb.selectFrom("ticket_report_facts").select("ticket_report_facts.ticket_id")
          .whereRef("ticket_report_facts.ticket_id", "=", "tickets.id")
          .where("ticket_report_facts.reopen_count", ">", 0),
      )
    );
  }
  if (q.dueBefore !== undefined) {
    base = base.where("tickets.status", "in", ["new", "open"])
      .where(DUE, "<", q.dueBefore);
  }
  return base;
}

/** Whether a query uses a filter the maintained counts do not cover. */
function hasReportLinkFilter(q: InboxQuery): boolean {
  return q.createdFrom !== undefined || q.createdTo !== undefined || !!q.channel ||
    q.category !== undefined || q.dueBefore !== undefined || !!q.unresolved ||
    q.createdIn !== undefined ||
    q.repliedIn !== undefined || !!q.reopened || q.ticketIds !== undefined;
}

function selectRows(base: Tickets, keys: Key[], reverse: boolean, limit: number, offset = 0) {
  let query = base.select([
    "tickets.id",
    "tickets.number",
    "tickets.subject",
    "tickets.status",
    "tickets.created_at as createdAt",
    "tickets.last_message_at as lastMessageAt",
    "tickets.message_count as messageCount",
    "tickets.customer_id as customerId",
    "customers.email as customerEmail",
    "customers.name as customerName",
    "tickets.sla_due_at as dueAt",
    "tickets.assignee_id as assigneeId",
    sql<string | null>`(select name from agents where agents.id = tickets.assignee_id)`.as(
      "assigneeName",
    ),
    sql<number | null>`(select disabled from agents where agents.id = tickets.assignee_id)`.as(
      "assigneeDisabledFlag",
    ),
  ]);
  for (const k of keys) query = query.orderBy(k.expr, flip(k.dir, reverse));
  return query.limit(limit).offset(offset).execute();
}

/**
 * The rows of a `?page=` from `offset` on, without OFFSET over whole rows: the sort keys of the
 * row just before the page are found walking the index alone (no row is built: no join
 * columns, no assignee lookup), then the page is one seek after them, like a cursor's.
 */
async function pageAt(
  base: Tickets,
  walkBase: Tickets,
  keys: Key[],
  offset: number,
  limit: number,
): Promise<Row[]> {
  if (offset <= 0) return (await selectRows(base, keys, false, limit)).map(toRow);
  let query = walkBase.select([
    "tickets.id",
    "tickets.last_message_at as lastMessageAt",
    "tickets.sla_due_at as dueAt",
  ]);
  for (const k of keys) query = query.orderBy(k.expr, k.dir);
  const before = await query.limit(1).offset(offset - 1).executeTakeFirst();
  if (!before) return [];
  return await seek(base, keys, keys.map((k) => k.pick(before as Row)), false, limit);
}

function flip(dir: "asc" | "desc", reverse: boolean): "asc" | "desc" {
  return reverse === (dir === "asc") ? "desc" : "asc";
}

/** Up to `limit` rows strictly after `values` in the order of `keys` (reversed: before). */
async function seek(
  base: Tickets,
  keys: Key[],
  values: KeyValue[],
  reverse: boolean,
  limit: number,
): Promise<Row[]> {
  const out: Row[] = [];
  for (let j = keys.length - 1; j >= 0 && out.length < limit; j--) {
    let part = base;
    for (let i = 0; i < j; i++) {
      part = part.where((eb) => eb(keys[i].expr, "=", operand(keys[i], values[i])));
    }
    const op = flip(keys[j].dir, reverse) === "asc" ? ">" : "<";
    part = part.where((eb) => eb(keys[j].expr, op, operand(keys[j], values[j])));
    // Ordered by the remaining keys only: SQLite does not see that an equality on an expression
    // of a parameter makes that key constant, and would sort the part.
    const rows = await selectRows(part, keys.slice(j), reverse, limit - out.length);
    out.push(...rows.map(toRow));
  }
  return out;
}

function operand(key: Key, value: KeyValue): RawBuilder<number> | number {
  return key.operand ? key.operand(value) : value!;
}

function toRow<T extends { status: string; assigneeDisabledFlag: number | null }>(
  { assigneeDisabledFlag, ...row }: T,
): Omit<T, "assigneeDisabledFlag"> & { status: TicketStatus; assigneeDisabled: boolean } {
  return {
    ...row,
    status: isTicketStatus(row.status) ? row.status : "new",
    assigneeDisabled: assigneeDisabledFlag === 1,
  };
}

/** Where a list's heavy reads may run. */
export interface ListOptions {
  /**
   * Runs the key walk of a deep `?page=` (up to MAX_PAGE_OFFSET index entries, ~20 ms at
   * 200 000 tickets): the store's read pool, so the thread serving everything else stays free.
   */
  walker?: Db;
}

/** One page of tickets for a folder (see the module comment). */
export async function listTickets(
  db: Db,
  q: InboxQuery,
  options: ListOptions = {},
): Promise<TicketPage> {
  const perPage = Math.min(Math.max(q.perPage ?? 50, 1), 200);
  const sort = q.sort ?? "newest";
  const keys = sortKeys(q);
  const base = baseQuery(db, q);
  const cursor = q.cursor ? decodeCursor(q.cursor, sort) : null;
  const { n: total, capped: totalCapped } = await countTickets(db, q);

  let rows: Row[];
  let offset: number;
  let hasMore: boolean;
  let atStart: boolean;
  if (cursor?.dir === "b") {
    // A previous page: the rows before the cursor, read backwards. Fewer than a page left
    // means we are back at the start: show the first page instead.
    const before = await seek(base, keys, cursor.keys, true, perPage + 1);
    if (before.length <= perPage) {
      return listTickets(db, { ...q, cursor: undefined, page: 1 }, options);
    }
    rows = before.slice(0, perPage).reverse();
    offset = cursor.offset;
    hasMore = true;
    atStart = false;
  } else if (cursor) {
    rows = await seek(base, keys, cursor.keys, false, perPage + 1);
    offset = cursor.offset;
    hasMore = rows.length > perPage;
    atStart = false;
  } else {
    const lastPage = totalCapped ? Infinity : Math.max(1, Math.ceil(total / perPage));
    const page = Math.min(q.page ?? 1, q.clampPage ? lastPage : Infinity);
    offset = Math.min(Math.max(page - 1, 0) * perPage, MAX_PAGE_OFFSET);
    if (offset >= total && !totalCapped && !q.clampPage) {
      return { tickets: [], total, totalCapped, offset, next: null, prev: null };
    }
    // The walk reads only tickets' columns: without a search it needs no customers (every ticket
    // has one), so it stays on the list's index instead of a lookup per row walked.
    const walkBase = baseQuery(options.walker ?? db, q, false);
    rows = await pageAt(base, walkBase, keys, offset, perPage + 1);
    hasMore = rows.length > perPage;
    atStart = offset === 0;
  }
  rows = rows.slice(0, perPage);
  const keysOf = (r: Row) => keys.map((k) => k.pick(r));
  const next = hasMore && rows.length > 0
    ? encodeCursor({ dir: "a", offset: offset + rows.length, keys: keysOf(rows[rows.length - 1]) })
    : null;
  const prev = atStart || rows.length === 0
    ? null
    : offset <= perPage
    ? ""
    : encodeCursor({ dir: "b", offset: offset - perPage, keys: keysOf(rows[0]) });
  const tickets = rows.map(({ dueAt: _, ...t }) => t);
  return { tickets, total, totalCapped, offset, next, prev };
}

/** A list's size: exact from the counters, else at most COUNT_CAP (capped: there are more). */
export interface ListCount {
  n: number;
  capped: boolean;
}

/** How many tickets a list query matches (views' and saved views' counts). */
export function countMatching(db: Db, q: InboxQuery): Promise<ListCount> {
  return countTickets(db, q);
}

/**
 * How many tickets the list has: from the counters when it is a folder (of some departments),
 * else by reading at most COUNT_CAP + 1 rows of the list's own walk, so a count never scans
 * more than its list's index would for twenty pages.
 */
async function countTickets(db: Db, q: InboxQuery): Promise<ListCount> {
  if (
    q.customerId || q.search || q.assignee !== undefined || q.tagId !== undefined ||
    q.priority || q.sla || hasReportLinkFilter(q)
  ) {
    const rows = baseQuery(db, q, false).select("tickets.id").limit(COUNT_CAP + 1);
    const { n } = await db.selectFrom(rows.as("m")).select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    const count = Number(n);
    return count > COUNT_CAP ? { n: COUNT_CAP, capped: true } : { n: count, capped: false };
  }
  let query = db.selectFrom("ticket_counts").select((eb) =>
    eb.fn.coalesce(eb.fn.sum<number>("count"), sql<number>`0`).as("n")
  );
  query = q.status ? query.where("status", "=", q.status) : query.where("status", "!=", "spam");
  if (q.departmentIds) query = query.where("department_id", "in", [...q.departmentIds, -1]);
  const { n } = await query.executeTakeFirstOrThrow();
  return { n: Number(n), capped: false };
}

/** Ticket counts per status folder, from the counters (never a scan). */
export async function countByStatus(
  db: Db,
  departmentIds?: readonly number[],
): Promise<Record<TicketStatus, number>> {
  let query = db.selectFrom("ticket_counts").select("status")
    .select((eb) => eb.fn.sum<number>("count").as("n"));
  if (departmentIds) query = query.where("department_id", "in", [...departmentIds, -1]);
  const rows = await query.groupBy("status").execute();
  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<TicketStatus, number>;
  for (const r of rows) if (isTicketStatus(r.status)) counts[r.status] = Number(r.n);
  return counts;
}

/** The cursor of the page that starts at `offset` (benchmarks; walks the index up to it). */
export async function cursorAt(
  db: Db,
  q: Pick<InboxQuery, "status" | "sort">,
  offset: number,
): Promise<string | null> {
  if (offset <= 0) return null;
  const keys = sortKeys(q);
  const [row] = await selectRows(baseQuery(db, q), keys, false, 1, offset - 1);
  return row ? encodeCursor({ dir: "a", offset, keys: keys.map((k) => k.pick(toRow(row))) }) : null;
}

/**
 * Every ticket of a list in its order, `batch` rows at a time, each batch one index seek after
 * the last row of the one before (exports: never counts, never OFFSET).
 */
export async function* walkTickets(
  db: Db,
  q: Omit<InboxQuery, "cursor" | "page" | "clampPage" | "perPage">,
  batch = 500,
): AsyncGenerator<TicketSummary[]> {
  const keys = sortKeys(q);
  const base = baseQuery(db, q);
  let rows: Row[] = (await selectRows(base, keys, false, batch)).map(toRow);
  while (rows.length > 0) {
    yield rows.map(({ dueAt: _, ...t }) => t);
    if (rows.length < batch) return;
    const last = rows[rows.length - 1];
    rows = await seek(base, keys, keys.map((k) => k.pick(last)), false, batch);
  }
}
