/** Query strings of reports and exports, shared by the pages and the JSON API. */
import { type Period, PERIOD_PRESETS, resolvePeriod } from "../domain/report/period.ts";
import type { ReportFilter } from "../db/report_queries.ts";
import { oneOf, orElse, parseInput, text, v, wholeNumber } from "../domain/validation.ts";
import { ValidationError } from "../domain/errors.ts";
import { INBOX_SORTS } from "../db/ticket_list.ts";
import { STATUSES } from "../domain/ticket_status.ts";
import { CSV_ENCODINGS } from "../services/exports.ts";
import { ListFilterQuery, listFilters } from "./list_filters.ts";

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const CHANNEL = /^[a-z][a-z0-9_-]{0,31}$/;

export const ReportQuery = v.object({
  period: orElse(oneOf(PERIOD_PRESETS), "month"),
  from: text({ max: 10, pattern: DATE, patternMessage: "must be a date (YYYY-MM-DD)" }),
  to: text({ max: 10, pattern: DATE, patternMessage: "must be a date (YYYY-MM-DD)" }),
  department_id: wholeNumber({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  agent_id: wholeNumber({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  channel: text({ max: 32, pattern: CHANNEL, patternMessage: "must be a channel name" }),
  tag: text({ max: 50 }),
  category: text({ max: 200 }),
  encoding: orElse(oneOf(CSV_ENCODINGS), "utf-8"),
});

export type ReportParams = v.InferOutput<typeof ReportQuery>;

/** The period and filter of a report query; a bad range is a 422 naming `from`. */
export function reportRequest(
  query: Record<string, string>,
  now: number,
  timeZone: string,
  /** The tags by name (a tag filter names one; an unknown name matches nothing). */
  tags: readonly { id: number; name: string }[] = [],
): { params: ReportParams; period: Period; filter: ReportFilter } {
  const params = parseInput(ReportQuery, query);
  // Dates given without a preset mean a custom range (the API passes only from/to).
  const preset = params.from && !query.period ? "custom" : params.period;
  let period: Period;
  try {
    period = resolvePeriod(preset, now, timeZone, { from: params.from, to: params.to });
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    throw new ValidationError("The period is not valid", { from: e.message });
  }
  return {
    params: { ...params, period: preset },
    period,
    filter: {
      departmentId: params.department_id,
      agentId: params.agent_id,
      channel: params.channel,
      tagId: params.tag ? tags.find((g) => g.name === params.tag)?.id ?? -1 : undefined,
      category: params.category || undefined,
    },
  };
}

/** The ticket list's filters for an export (the inbox's: status, search, order, team filters). */
export const TicketCsvQuery = v.object({
  status: orElse(oneOf([...STATUSES, "all"]), "all"),
  q: v.fallback(
    v.pipe(v.optional(v.string(), ""), v.trim(), v.transform((s) => s.slice(0, 200))),
    "",
  ),
  sort: orElse(oneOf(INBOX_SORTS), "newest"),
  ...ListFilterQuery.entries,
  encoding: orElse(oneOf(CSV_ENCODINGS), "utf-8"),
});

/** The list query of a ticket export, for `agent` (assignee=me); tags resolve names to ids. */
export function ticketCsvRequest(
  query: Record<string, string>,
  options: {
    agentId: number;
    tags?: readonly { id: number; name: string }[];
    timeZone: string;
    now: number;
    departmentIds?: readonly number[] | null;
    /** An SLA link's tickets (list_filters.ts slaLinkTicketIds). */
    slaTicketIds?: number[];
  },
) {
  const p = parseInput(TicketCsvQuery, query);
  return {
    query: {
      status: p.status === "all" ? undefined : p.status,
      search: p.q || undefined,
      sort: p.sort,
      ...listFilters(p, options),
    },
    encoding: p.encoding,
  };
}

/** Response headers of a CSV download. */
export function csvHeaders(filename: string, encoding: string): Record<string, string> {
  const charset = encoding === "shift_jis" ? "Shift_JIS" : "utf-8";
  return {
    "content-type": `text/csv; charset=${charset}`,
    "content-disposition": `attachment; filename="${filename}"`,
    "cache-control": "no-store",
  };
}
