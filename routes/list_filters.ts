/**
 * The list filters report figures link with (created from/to, channel, category, SLA deadline,
 * an assignee by id), shared by the inbox page and the ticket CSV. The links themselves are made by
 * domain/report/links.ts.
 */
import { oneOf, orElse, text, v, wholeNumber } from "../domain/validation.ts";
import { PRIORITIES } from "../domain/priority.ts";
import { localDateOf, startOfDay } from "../domain/report/period.ts";
import { heatCellRanges } from "../domain/report/heat_cell.ts";
import { SLA_RESULTS } from "../domain/report/summary.ts";
import { slaResultTicketIds } from "../services/reports.ts";
import type { Db } from "../db/client.ts";
import type { InboxQuery } from "../db/ticket_list.ts";

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const CHANNEL = /^[a-z][a-z0-9_-]{0,31}$/;
const DAY_MS = 86_400_000;

/** The filters a figure's link adds to the inbox (lenient: a bad value is dropped). */
export const ReportLinkQuery = v.object({
  created_from: orElse(text({ max: 10, pattern: DATE }), undefined),
  created_to: orElse(text({ max: 10, pattern: DATE }), undefined),
  channel: orElse(text({ max: 32, pattern: CHANNEL }), undefined),
  category: orElse(text({ max: 200 }), undefined),
  due: orElse(oneOf(["today", "overdue"]), undefined),
  unresolved: orElse(oneOf(["1"]), undefined),
  /** Tickets an agent replied to in these days (the replies-sent figures), optionally by one. */
  replied_from: orElse(text({ max: 10, pattern: DATE }), undefined),
  replied_to: orElse(text({ max: 10, pattern: DATE }), undefined),
  replied_by: orElse(text({ max: 16, pattern: /^(me|[0-9]{1,15})$/ }), undefined),
  /** Reopened at least once (the reopen rate's numerator). */
  reopened: orElse(oneOf(["1"]), undefined),
  /** A heat map cell: local weekday (1 = Monday) and hour of creation, within created from/to. */
  created_dow: orElse(wholeNumber({ min: 1, max: 7 }), undefined),
  created_hour: orElse(wholeNumber({ min: 0, max: 23 }), undefined),
  /** An SLA figure's tickets (met or breached, first response or resolution), within created. */
  sla_result: orElse(oneOf(SLA_RESULTS), undefined),
});

export type ReportLinkParams = v.InferOutput<typeof ReportLinkQuery>;

/** The inbox's team filters plus the report links' (the ticket CSV takes them all). */
export const ListFilterQuery = v.object({
  assignee: orElse(text({ max: 20, pattern: /^(me|none|[0-9]{1,15})$/ }), undefined),
  department: orElse(wholeNumber({ min: 1, max: Number.MAX_SAFE_INTEGER }), undefined),
  tag: orElse(text({ max: 50 }), undefined),
  priority: orElse(oneOf(PRIORITIES), undefined),
  ...ReportLinkQuery.entries,
});

/** A date that really exists (2026-02-30 does not), or undefined. */
function dayStartOf(date: string | undefined, timeZone: string): number | undefined {
  if (!date) return undefined;
  try {
    return startOfDay(Temporal.PlainDate.from(date, { overflow: "reject" }).toString(), timeZone);
  } catch {
    return undefined;
  }
}

/** The start of the day after a date in `timeZone` (DST days are not 24 h: add a day, not 24 h). */
function dayAfter(date: string | undefined, timeZone: string): number | undefined {
  const start = dayStartOf(date, timeZone);
  if (start === undefined) return undefined;
  return dayStartOf(Temporal.PlainDate.from(date!).add({ days: 1 }).toString(), timeZone) ??
    start + DAY_MS;
}

/**
 * The tickets of an SLA figure's link (sla_result within created from/to), judged as the report
 * judges them; undefined without such a link. Computed once per request, then given to
 * reportLinkFilters as `slaTicketIds`. Without a created range the list is empty.
 */
export async function slaLinkTicketIds(
  db: Db,
  p: ReportLinkParams,
  options: { timeZone: string; now: number },
): Promise<number[] | undefined> {
  if (!p.sla_result) return undefined;
  const fromMs = dayStartOf(p.created_from, options.timeZone);
  const toMs = dayAfter(p.created_to, options.timeZone);
  if (fromMs === undefined || toMs === undefined) return [];
  return await slaResultTicketIds(db, {
    range: { fromMs, toMs },
    result: p.sla_result,
    now: options.now,
  });
}

/** The list query of the report-link filters: dates are days in `timeZone`, `to` inclusive. */
export function reportLinkFilters(
  p: ReportLinkParams,
  options: {
    timeZone: string;
    now: number;
    /** Whose "me" (replied_by=me). */
    agentId?: number;
    /** An SLA link's tickets (slaLinkTicketIds); required for sla_result to filter. */
    slaTicketIds?: number[];
  },
): Partial<InboxQuery> {
  const today = localDateOf(options.now, options.timeZone);
  const createdFrom = dayStartOf(p.created_from, options.timeZone);
  const createdTo = dayAfter(p.created_to, options.timeZone);
  const repliedFrom = dayStartOf(p.replied_from, options.timeZone);
  const repliedTo = dayAfter(p.replied_to, options.timeZone);
  return {
    createdFrom,
    createdTo,
    // A heat map cell needs the period it was counted in (its days are walked).
    createdIn: p.created_dow !== undefined && p.created_hour !== undefined &&
        createdFrom !== undefined && createdTo !== undefined
      ? heatCellRanges(
        { fromMs: createdFrom, toMs: createdTo },
        { weekday: p.created_dow, hour: p.created_hour },
        options.timeZone,
      )
      : undefined,
    repliedIn: repliedFrom !== undefined && repliedTo !== undefined
      ? {
        fromMs: repliedFrom,
        toMs: repliedTo,
        agentId: p.replied_by === "me"
          ? options.agentId ?? -1
          : p.replied_by
          ? Number(p.replied_by)
          : undefined,
      }
      : undefined,
    reopened: p.reopened === "1" || undefined,
    ticketIds: p.sla_result ? options.slaTicketIds ?? [] : undefined,
    channel: p.channel,
    category: p.category,
    unresolved: p.unresolved === "1" || undefined,
    dueBefore: p.due === "overdue"
      ? options.now
      : p.due === "today"
      ? dayStartOf(Temporal.PlainDate.from(today).add({ days: 1 }).toString(), options.timeZone)
      : undefined,
  };
}

/** Every list filter of a parsed query, for `agentId` (assignee=me), tags by name. */
export function listFilters(
  p: v.InferOutput<typeof ListFilterQuery>,
  options: {
    agentId: number;
    tags?: readonly { id: number; name: string }[];
    timeZone: string;
    now?: number;
    /** A restricted agent's departments. */
    departmentIds?: readonly number[] | null;
    /** An SLA link's tickets (slaLinkTicketIds). */
    slaTicketIds?: number[];
  },
): Partial<InboxQuery> {
  const restricted = options.departmentIds ?? undefined;
  const departmentIds = p.department === undefined
    ? restricted
    : restricted && !restricted.includes(p.department)
    ? []
    : [p.department];
  return {
    departmentIds,
    assignee: p.assignee === "me"
      ? options.agentId
      : p.assignee === "none"
      ? "none"
      : p.assignee
      ? Number(p.assignee)
      : undefined,
    tagId: p.tag ? options.tags?.find((g) => g.name === p.tag)?.id ?? -1 : undefined,
    priority: p.priority,
    ...reportLinkFilters(p, {
      timeZone: options.timeZone,
      now: options.now ?? Date.now(),
      agentId: options.agentId,
      slaTicketIds: options.slaTicketIds,
    }),
  };
}
