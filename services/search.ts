/**
 * Full-text search across every folder: parses what was typed (domain/search_text.ts), widens
 * Latin prefixes to the indexed words they start, asks the index (db/search.ts) for one page of
 * matching tickets — each with its newest (or best) matching message — and cuts a highlighted
 * snippet of that message. A read: no transaction; what a restricted agent may see is a filter.
 */
import type { Db } from "../db/client.ts";
import {
  COUNT_LIMIT,
  hitDetails,
  type SearchFilters,
  type SearchQuery,
  searchTicketHits,
  type TicketSearchResult,
  wordsStarting,
} from "../db/search.ts";
import {
  htmlToText,
  matchExpression,
  parseSearchQuery,
  prefixWords,
  type SearchTerm,
  snippetHtml,
} from "../domain/search_text.ts";

export const SEARCH_PER_PAGE = 20;
/** Pages reach at most this deep (COUNT_LIMIT tickets). */
export const SEARCH_MAX_PAGE = COUNT_LIMIT / SEARCH_PER_PAGE;

export interface SearchInput extends SearchFilters {
  q: string;
  /** The walk's bounds (tests only). */
  bounds?: SearchQuery["bounds"];
  sort?: "newest" | "relevance";
  /** 1-based, at most SEARCH_MAX_PAGE. */
  page?: number;
}

/** One matching ticket. */
export interface SearchResult {
  ticket: { id: number; number: number; subject: string; status: string };
  customer: { name: string; email: string };
  /** The message the snippet is cut from: the ticket's newest (or best) match. */
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
  /** Matching tickets, counted up to `totalLimit`. */
  total: number;
  totalLimit: number;
  /** False when counting stopped early (a filter few matches pass): `total` is a lower bound. */
  totalExact: boolean;
  page: number;
  hasNext: boolean;
  /** How the index was asked (db/search.ts). */
  plan?: TicketSearchResult["plan"];
}

/** One page of tickets matching `input.q` and its filters, newest (or best match) first. */
export async function searchTickets(db: Db, input: SearchInput): Promise<SearchPage> {
  const terms = parseSearchQuery(input.q);
  const page = Math.min(Math.max(input.page ?? 1, 1), SEARCH_MAX_PAGE);
  const empty = {
    results: [],
    total: 0,
    totalLimit: COUNT_LIMIT,
    totalExact: true,
    page,
    hasNext: false,
  };
  if (!matchExpression(terms)) return { searched: false, ...empty };
  const match = matchExpression(terms, await wordsStarting(db, prefixWords(terms)))!;
  const offset = (page - 1) * SEARCH_PER_PAGE;
  const found = await searchTicketHits(db, {
    ...input,
    match,
    sort: input.sort ?? "newest",
    offset,
    limit: SEARCH_PER_PAGE,
  });
  const details = await hitDetails(db, found.hits);
  const results: SearchResult[] = [];
  for (const hit of found.hits) {
    const ticket = details.tickets.get(hit.ticketId);
    const message = details.messages.get(hit.messageId);
    if (!ticket || !message) continue; // deleted since the walk
    results.push({
      ticket: {
        id: hit.ticketId,
        number: ticket.number,
        subject: ticket.subject,
        status: ticket.status,
      },
      customer: { name: ticket.customerName, email: ticket.customerEmail },
      messageId: hit.messageId,
      direction: message.direction,
      createdAt: message.createdAt,
      snippet: bestSnippet(terms, [
        message.text.trim() || (message.htmlBody ? htmlToText(message.htmlBody) : ""),
        ticket.subject,
        message.files.join(" / "),
        `${ticket.customerName} <${ticket.customerEmail}>`,
      ]),
    });
  }
  return {
    searched: true,
    total: found.total,
    totalLimit: COUNT_LIMIT,
    totalExact: found.exact,
    page,
    hasNext: found.total > offset + SEARCH_PER_PAGE && page < SEARCH_MAX_PAGE,
    results,
    plan: found.plan,
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
