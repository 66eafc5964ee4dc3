/**
 * What reports read: the tickets received in a period with their facts (migration 0017), the
 * agent replies sent in it, and the dashboard's live counts. Each page of rows comes back as one
 * JSON cell (as db/sla.ts does): turning thousands of rows into driver objects costs more than
 * SQLite spends finding them.
 */
import { type RawBuilder, sql } from "kysely";
import type { Db, Tx } from "./client.ts";
import type { TicketSummary } from "./tickets.ts";
import { isTicketStatus } from "../domain/ticket_status.ts";

/** Which tickets a report counts. */
export interface ReportFilter {
  departmentId?: number;
  /** Only these departments (a restricted agent's; set by services/reports.ts scopeFilter). */
  departmentIds?: readonly number[];
  /** The ticket's agent (see ticketAgentExpr); for replies, the agent who wrote them. */
  agentId?: number;
  channel?: string;
  /** Tickets carrying this tag. */
  tagId?: number;
  /** Tickets that came in through the web form with this category (its Japanese label). */
  category?: string;
}

/**
 * The agent a ticket counts for in reports: its assignee (null: unassigned), so the figures and
 * the inbox's 担当者 lists they link to agree. Replies still count for whoever wrote them.
 * Expects `tickets t` joined with `ticket_report_facts f`.
 */
export function ticketAgentExpr(): RawBuilder<number | null> {
  return sql<number | null>`t.assignee_id`;
}

/** One ticket received in the period. */
export interface ReportTicket {
  id: number;
  number: number;
  departmentId: number;
  priority: string;
  status: string;
  channel: string;
  subject: string;
  createdAt: number;
  firstResponseAt: number | null;
  resolvedAt: number | null;
  reopenCount: number;
  agentId: number | null;
  /** Business ms the resolution clock ran (domain/sla.ts), as stored on the ticket. */
  slaElapsedMs: number;
  category: string | null;
}

type TicketTuple = [
  number,
  number,
  number,
  string,
  string,
  string,
  string,
  number,
  number | null,
  number | null,
  number,
  number | null,
  number,
  string | null,
];

const PAGE = 5_000;

/** The tag and category conditions, on `t` (tickets) and `f` (facts). */
function labelWhere(filter: ReportFilter): RawBuilder<unknown>[] {
  return [
    ...(filter.tagId !== undefined
      ? [sql`exists (select 1 from ticket_tags tt where tt.ticket_id = t.id
          and tt.tag_id = ${filter.tagId})`]
      : []),
    ...(filter.category !== undefined ? [sql`f.category = ${filter.category}`] : []),
  ];
}

function departmentsWhere(filter: ReportFilter): RawBuilder<unknown>[] {
  return filter.departmentIds
    ? [sql`t.department_id in (${sql.join([...filter.departmentIds, -1])})`]
    : [];
}

/** The facts `f` joined to tickets `t`, only when a condition reads them (the category). */
function factsJoin(filter: ReportFilter): RawBuilder<unknown> {
  return filter.category !== undefined
    ? sql` join ticket_report_facts f on f.ticket_id = t.id`
    : sql``;
}

function ticketWhere(filter: ReportFilter): RawBuilder<unknown>[] {
  return [
    // 迷惑メール is not an inquiry (and the inbox's すべて, which figures link to, leaves it out).
    sql`t.status != 'spam'`,
    ...departmentsWhere(filter),
    ...(filter.departmentId !== undefined ? [sql`t.department_id = ${filter.departmentId}`] : []),
    ...(filter.agentId !== undefined ? [sql`${ticketAgentExpr()} = ${filter.agentId}`] : []),
    ...(filter.channel !== undefined ? [sql`t.channel = ${filter.channel}`] : []),
    ...labelWhere(filter),
  ];
}

/** Tickets created in [fromMs, toMs) that match the filter, walking the facts' created index. */
export async function listReportTickets(
  db: Db,
  range: { fromMs: number; toMs: number },
  filter: ReportFilter,
): Promise<ReportTicket[]> {
  const where = ticketWhere(filter);
  const extra = where.length ? sql` and ${sql.join(where, sql` and `)}` : sql``;
  const result: ReportTicket[] = [];
  for (let afterCreated = range.fromMs - 1, afterId = Number.MAX_SAFE_INTEGER;;) {
    const page = await sql<{ rows: string | null }>`select json_group_array(json_array(
        id, number, department_id, priority, status, channel, subject, created_at,
        first_response_at, resolved_at, reopen_count, agent_id, sla_elapsed_ms, category)) as rows
      from (select t.id, t.number, t.department_id, t.priority, t.status, t.channel, t.subject,
          f.created_at, f.first_response_at, f.resolved_at, f.reopen_count,
          ${ticketAgentExpr()} as agent_id, t.sla_elapsed_ms, f.category
        from ticket_report_facts f join tickets t on t.id = f.ticket_id
        where (f.created_at > ${afterCreated}
            or (f.created_at = ${afterCreated} and f.ticket_id > ${afterId}))
          and f.created_at < ${range.toMs}${extra}
        order by f.created_at, f.ticket_id limit ${PAGE})`.execute(db);
    const rows = JSON.parse(page.rows[0]?.rows ?? "[]") as TicketTuple[];
    for (const r of rows) {
      result.push({
        id: r[0],
        number: r[1],
        departmentId: r[2],
        priority: r[3],
        status: r[4],
        channel: r[5],
        subject: r[6],
        createdAt: r[7],
        firstResponseAt: r[8],
        resolvedAt: r[9],
        reopenCount: r[10],
        agentId: r[11],
        slaElapsedMs: r[12],
        category: r[13],
      });
    }
    if (rows.length < PAGE) return result;
    const last = rows[rows.length - 1];
    afterCreated = last[7];
    afterId = last[0];
  }
}

/** One agent reply sent in the period. */
export interface ReportReply {
  agentId: number;
  createdAt: number;
}

/** Conditions on the ticket `t` (and facts `f`) of replies or handling rows: not the agent. */
function replyTicketWhere(filter: ReportFilter): RawBuilder<unknown>[] {
  return [
    ...departmentsWhere(filter),
    ...(filter.departmentId !== undefined ? [sql`t.department_id = ${filter.departmentId}`] : []),
    ...(filter.channel !== undefined ? [sql`t.channel = ${filter.channel}`] : []),
    ...labelWhere(filter),
  ];
}

/** Agent replies sent in [fromMs, toMs) on tickets that match the filter, by their writer. */
export async function listReportReplies(
  db: Db,
  range: { fromMs: number; toMs: number },
  filter: ReportFilter,
): Promise<ReportReply[]> {
  const where = [
    ...replyTicketWhere(filter),
    ...(filter.agentId !== undefined ? [sql`m.agent_id = ${filter.agentId}`] : []),
  ];
  const join = filter.departmentId !== undefined || filter.channel !== undefined ||
      filter.tagId !== undefined || filter.category !== undefined ||
      filter.departmentIds !== undefined
    ? sql` join tickets t on t.id = m.ticket_id join ticket_report_facts f on f.ticket_id = t.id`
    : sql``;
  const extra = where.length ? sql` and ${sql.join(where, sql` and `)}` : sql``;
  const page = await sql<{ rows: string | null }>`select json_group_array(json_array(
      m.agent_id, m.created_at)) as rows
    from messages m indexed by messages_agent_replies${join}
    where m.direction = 'out' and m.agent_id is not null
      and m.created_at >= ${range.fromMs} and m.created_at < ${range.toMs}${extra}`.execute(db);
  const rows = JSON.parse(page.rows[0]?.rows ?? "[]") as [number, number][];
  return rows.map(([agentId, createdAt]) => ({ agentId, createdAt }));
}

/** Handling time (seconds composing) of replies sent in [fromMs, toMs), by their writer. */
export async function listReportHandling(
  db: Db,
  range: { fromMs: number; toMs: number },
  filter: ReportFilter,
): Promise<{ agentId: number; seconds: number }[]> {
  const where = [
    ...replyTicketWhere(filter),
    ...(filter.agentId !== undefined ? [sql`h.agent_id = ${filter.agentId}`] : []),
  ];
  const extra = where.length ? sql` and ${sql.join(where, sql` and `)}` : sql``;
  const page = await sql<{ rows: string | null }>`select json_group_array(json_array(
      h.agent_id, h.seconds)) as rows
    from reply_handling h join tickets t on t.id = h.ticket_id
      join ticket_report_facts f on f.ticket_id = t.id
    where h.sent_at >= ${range.fromMs} and h.sent_at < ${range.toMs}${extra}`.execute(db);
  const rows = JSON.parse(page.rows[0]?.rows ?? "[]") as [number, number][];
  return rows.map(([agentId, seconds]) => ({ agentId, seconds }));
}

/** Tickets received in [fromMs, toMs) per tag (one ticket counts under each of its tags). */
export async function countReportTags(
  db: Db,
  range: { fromMs: number; toMs: number },
  filter: ReportFilter,
): Promise<{ tagId: number; name: string; count: number }[]> {
  const where = ticketWhere(filter);
  const extra = where.length ? sql` and ${sql.join(where, sql` and `)}` : sql``;
  const rows = await sql<{ tagId: number; name: string; count: number }>`select
      g.id as tagId, g.name as name, count(*) as count
    from ticket_report_facts f join tickets t on t.id = f.ticket_id
      join ticket_tags x on x.ticket_id = t.id join tags g on g.id = x.tag_id
    where f.created_at >= ${range.fromMs} and f.created_at < ${range.toMs}${extra}
    group by g.id order by count desc, g.name limit 20`.execute(db);
  return rows.rows;
}

/** Records the web form's category of a ticket (its Japanese label). */
export async function setTicketCategory(tx: Tx, ticketId: number, category: string) {
  await tx.updateTable("ticket_report_facts").set({ category }).where("ticket_id", "=", ticketId)
    .execute();
}

/** Categories tickets came in with, most used first (the filters' choices). */
export async function listReportCategories(db: Db): Promise<string[]> {
  const rows = await db.selectFrom("ticket_report_facts").select("category")
    .where("category", "is not", null).groupBy("category").orderBy("category").limit(200)
    .execute();
  return rows.map((r) => r.category!);
}

/** Open tickets (new, open, pending) per status and department, from the maintained counts. */
export async function openCounts(
  db: Db,
  departmentIds?: readonly number[],
): Promise<{ status: string; departmentId: number; count: number }[]> {
  let q = db.selectFrom("ticket_counts")
    .select(["status", "department_id as departmentId", "count"])
    .where("status", "in", ["new", "open", "pending"]).where("count", ">", 0);
  if (departmentIds) q = q.where("department_id", "in", [...departmentIds, -1]);
  return await q.orderBy("department_id").orderBy("status").execute();
}

/** The open tickets of each agent (by ticketAgentExpr), with none as agent null. */
export async function openLoadByAgent(
  db: Db,
  filter: ReportFilter = {},
): Promise<{ agentId: number | null; count: number }[]> {
  const where = ticketWhere(filter);
  const extra = where.length ? sql` and ${sql.join(where, sql` and `)}` : sql``;
  const rows = await sql<{ agentId: number | null; count: number }>`select
      ${ticketAgentExpr()} as agentId, count(*) as count
    from tickets t${factsJoin(filter)}
    where t.status in ('new', 'open', 'pending')${extra}
    group by 1 order by 2 desc`.execute(db);
  return rows.rows;
}

/** Open tickets whose nearest SLA deadline is before `untilMs` (overdue ones included). */
export async function countDueBefore(
  db: Db,
  untilMs: number,
  now: number,
  filter: ReportFilter = {},
): Promise<{ due: number; breached: number }> {
  const where = ticketWhere(filter);
  const extra = where.length ? sql` and ${sql.join(where, sql` and `)}` : sql``;
  const row = await sql<{ due: number; breached: number }>`select
      count(*) as due, coalesce(sum(t.sla_due_at <= ${now}), 0) as breached
    from tickets t${factsJoin(filter)}
    where t.status in ('new', 'open') and t.sla_due_at is not null
      and t.sla_due_at < ${untilMs}${extra}`.execute(db);
  return row.rows[0] ?? { due: 0, breached: 0 };
}

/** Agents by id, for names in reports (disabled ones too: they did the past work). */
export async function listReportAgents(db: Db): Promise<{ id: number; name: string }[]> {
  return await db.selectFrom("agents").select(["id", "name"]).orderBy("name").orderBy("id")
    .execute();
}

/** What a CSV row adds to a list row: department, priority, the report facts and SLA state. */
export interface ExportDetails {
  departmentId: number;
  departmentName: string;
  priority: string;
  agentName: string | null;
  /** The ticket's tags, comma-separated. */
  tags: string;
  firstResponseAt: number | null;
  resolvedAt: number | null;
  slaElapsedMs: number;
  slaDueAt: number | null;
}

/** Export details of some tickets (one page of a list), keyed by ticket id. */
export async function exportDetails(db: Db, ids: number[]): Promise<Map<number, ExportDetails>> {
  const result = new Map<number, ExportDetails>();
  if (ids.length === 0) return result;
  const page = await sql<{ rows: string | null }>`select json_group_array(json_array(
      t.id, t.department_id, d.name, t.priority, a.name, f.first_response_at, f.resolved_at,
      t.sla_elapsed_ms, t.sla_due_at, (select group_concat(g.name, ', ') from ticket_tags x
        join tags g on g.id = x.tag_id where x.ticket_id = t.id))) as rows
    from tickets t join ticket_report_facts f on f.ticket_id = t.id
      join departments d on d.id = t.department_id
      left join agents a on a.id = ${ticketAgentExpr()}
    where t.id in (${sql.join(ids)})`.execute(db);
  const rows = JSON.parse(page.rows[0]?.rows ?? "[]") as [
    number,
    number,
    string,
    string,
    string | null,
    number | null,
    number | null,
    number,
    number | null,
    string | null,
  ][];
  for (const r of rows) {
    result.set(r[0], {
      departmentId: r[1],
      departmentName: r[2],
      priority: r[3],
      agentName: r[4],
      firstResponseAt: r[5],
      resolvedAt: r[6],
      slaElapsedMs: r[7],
      slaDueAt: r[8],
      tags: r[9] ?? "",
    });
  }
  return result;
}

/**
 * The tickets behind a report — created in [fromMs, toMs) and matching the filter — as list
 * rows, `batch` at a time in creation order, each batch one seek on the facts' created index.
 */
export async function* walkReportTickets(
  db: Db,
  range: { fromMs: number; toMs: number },
  filter: ReportFilter,
  batch = 500,
): AsyncGenerator<TicketSummary[]> {
  const where = ticketWhere(filter);
  const extra = where.length ? sql` and ${sql.join(where, sql` and `)}` : sql``;
  for (let afterCreated = range.fromMs - 1, afterId = Number.MAX_SAFE_INTEGER;;) {
    const page = await sql<{ rows: string | null }>`select json_group_array(json_array(
        id, number, subject, status, customer_id, email, name, created_at, last_message_at,
        message_count, assignee_id, assignee_name)) as rows
      from (select t.id, t.number, t.subject, t.status, t.customer_id, c.email, c.name,
          f.created_at, t.last_message_at, t.message_count, t.assignee_id,
          a.name as assignee_name
        from ticket_report_facts f join tickets t on t.id = f.ticket_id
          join customers c on c.id = t.customer_id
          left join agents a on a.id = t.assignee_id
        where (f.created_at > ${afterCreated}
            or (f.created_at = ${afterCreated} and f.ticket_id > ${afterId}))
          and f.created_at < ${range.toMs}${extra}
        order by f.created_at, f.ticket_id limit ${batch})`.execute(db);
    const rows = JSON.parse(page.rows[0]?.rows ?? "[]") as [
      number,
      number,
      string,
      string,
      number,
      string,
      string,
      number,
      number,
      number,
      number | null,
      string | null,
    ][];
    if (rows.length > 0) {
      yield rows.map((r) => ({
        id: r[0],
        number: r[1],
        subject: r[2],
        status: isTicketStatus(r[3]) ? r[3] : "new",
        customerId: r[4],
        customerEmail: r[5],
        customerName: r[6],
        createdAt: r[7],
        lastMessageAt: r[8],
        messageCount: r[9],
        assigneeId: r[10],
        assigneeName: r[11],
      }));
    }
    if (rows.length < batch) return;
    afterCreated = rows[rows.length - 1][7];
    afterId = rows[rows.length - 1][0];
  }
}
