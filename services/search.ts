/**
 * Full-text search across every folder: parses what was typed (domain/search_text.ts), asks the
 * index (db/search.ts) for one page of matching messages and cuts a highlighted snippet of each.
 * A read: no transaction, no permission beyond being an agent (every agent sees every ticket).
 */
import type { Db } from "../db/client.ts";
import { COUNT_LIMIT, type SearchFilters, searchMessages } from "../db/search.ts";
import {
  htmlToText,
  matchExpression,
  parseSearchQuery,
  type SearchTerm,
  snippetHtml,
} from "../domain/search_text.ts";

export const SEARCH_PER_PAGE = 20;
/** Pages reach at most this deep (COUNT_LIMIT results). */
export const SEARCH_MAX_PAGE = COUNT_LIMIT / SEARCH_PER_PAGE;

export interface SearchInput extends SearchFilters {
  q: string;
  sort?: "newest" | "relevance";
  /** 1-based, at most SEARCH_MAX_PAGE. */
  page?: number;
}

export interface SearchResult {
  ticket: { id: number; number: number; subject: string; status: string };
  customer: { name: string; email: string };
  messageId: number;
  direction: string;
  createdAt: number;
  /** HTML: the text escaped, matches in <mark>. */
  snippet: string;
}

export interface SearchPage {
  /** False when the query has no word to look for (empty, or only -exclusions). */
  searched: boolean;
  results: SearchResult[];
  /** Matching messages, counted up to `totalLimit`. */
  total: number;
  totalLimit: number;
  page: number;
  hasNext: boolean;
}

/** One page of messages matching `input.q` and its filters, newest (or best match) first. */
export async function searchTickets(db: Db, input: SearchInput): Promise<SearchPage> {
  const terms = parseSearchQuery(input.q);
  const match = matchExpression(terms);
  const page = Math.min(Math.max(input.page ?? 1, 1), SEARCH_MAX_PAGE);
  const empty = { results: [], total: 0, totalLimit: COUNT_LIMIT, page, hasNext: false };
  if (!match) return { searched: false, ...empty };
  const { hits, total } = await searchMessages(db, {
    ...input,
    match,
    sort: input.sort ?? "newest",
    offset: (page - 1) * SEARCH_PER_PAGE,
    limit: SEARCH_PER_PAGE + 1,
  });
  return {
    searched: true,
    total,
    totalLimit: COUNT_LIMIT,
    page,
    hasNext: hits.length > SEARCH_PER_PAGE && page < SEARCH_MAX_PAGE,
    results: hits.slice(0, SEARCH_PER_PAGE).map((h) => ({
      ticket: {
        id: h.ticket.id,
        number: h.ticket.number,
        subject: h.ticket.subject,
        status: h.ticket.status,
      },
      customer: { name: h.ticket.customerName, email: h.ticket.customerEmail },
      messageId: h.messageId,
      direction: h.direction,
      createdAt: h.createdAt,
      snippet: bestSnippet(terms, [
        h.text.trim() || (h.htmlBody ? htmlToText(h.htmlBody) : ""),
        h.ticket.subject,
        h.files.join(" / "),
        `${h.ticket.customerName} <${h.ticket.customerEmail}>`,
      ]),
    })),
  };
}

/** The snippet of the first field that contains a term (the body unless the match is elsewhere). */
function bestSnippet(terms: SearchTerm[], fields: string[]): string {
  for (const field of fields) {
    const html = snippetHtml(field, terms);
    if (html.includes("<mark>")) return html;
  }
  return snippetHtml(fields[0], terms);
}

/** Milliseconds at the start of a calendar day (YYYY-MM-DD) in `timeZone`, or null if invalid. */
export function dayStart(day: string, timeZone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!m) return null;
  const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (Number.isNaN(utc) || new Date(utc).getUTCDate() !== Number(m[3])) return null;
  // The zone's offset at noon that day (a day never starts inside a DST jump in practice).
  const noon = utc + 12 * 3600_000;
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).formatToParts(new Date(noon));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"));
  return utc - (wall - noon);
}
