/** The search query string, shared by the search page and GET /api/v1/search. */
import { STATUSES } from "../domain/ticket_status.ts";
import { oneOf, orElse, text, v, wholeNumber } from "../domain/validation.ts";
import { dayStart, SEARCH_MAX_PAGE, type SearchInput } from "../services/search.ts";

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const CHANNEL = /^[a-z][a-z0-9_-]{0,31}$/;

const fields = {
  q: text({ max: 500 }),
  status: oneOf(STATUSES),
  department_id: wholeNumber({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  channel: text({ max: 32, pattern: CHANNEL, patternMessage: "must be a lower-case word" }),
  from: text({ max: 10, pattern: DAY, patternMessage: "must be a date (YYYY-MM-DD)" }),
  to: text({ max: 10, pattern: DAY, patternMessage: "must be a date (YYYY-MM-DD)" }),
  has_attachment: oneOf(["1", "true", "0", "false", ""]),
  sort: oneOf(["newest", "relevance"]),
  page: wholeNumber({ min: 1, max: SEARCH_MAX_PAGE }),
  // "me", "none" or an agent's id.
  assignee: text({
    max: 20,
    pattern: /^(me|none|[0-9]{1,15})$/,
    patternMessage: "must be me, none or an agent id",
  }),
  tag: text({ max: 200 }),
};

/** The API's query: an invalid field is a 422. */
export const SearchQuery = v.object(fields);

/** The page's query: a hand-edited field that makes no sense is dropped instead. */
export const LenientSearchQuery = v.object(
  Object.fromEntries(
    Object.entries(fields).map((
      [k, schema],
    ) => [k, orElse(schema as v.GenericSchema<unknown, unknown>, undefined)]),
  ) as { [K in keyof typeof fields]: typeof fields[K] },
);

export type SearchParams = v.InferOutput<typeof SearchQuery>;

/**
 * The service input for parsed parameters; dates are days in `timeZone`, `to` inclusive. `agent`
 * is who searches: "me" means them, and a restricted agent only ever sees their departments.
 */
export function searchInput(
  p: SearchParams,
  timeZone: string,
  agent: { id: number; departmentIds: number[] | null },
): SearchInput {
  const from = p.from ? dayStart(p.from, timeZone) : null;
  const to = p.to ? dayStart(p.to, timeZone) : null;
  return {
    q: p.q ?? "",
    status: p.status,
    departmentId: p.department_id,
    channel: p.channel,
    from: from ?? undefined,
    to: to === null ? undefined : to + 86_400_000,
    hasAttachment: p.has_attachment === "1" || p.has_attachment === "true",
    assignee: p.assignee === undefined
      ? undefined
      : p.assignee === "me"
      ? agent.id
      : p.assignee === "none"
      ? null
      : Number(p.assignee),
    tag: p.tag || undefined,
    departmentIds: agent.departmentIds ?? undefined,
    sort: p.sort,
    page: p.page,
  };
}
