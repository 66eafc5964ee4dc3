/** GET /api/v1/search: full-text search across every folder (the search page's JSON twin). */
import { Hono } from "hono";
import { parseInput } from "../../../domain/validation.ts";
import { ValidationError } from "../../../domain/errors.ts";
import { searchTickets } from "../../../services/search.ts";
import { type AppEnv, assertAgent, displayTimeZone } from "../../state.ts";
import { searchInput, SearchQuery } from "../../search_query.ts";

/** Routes under /api/v1/search. */
export function searchApiRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/", async (c) => {
    const params = parseInput(SearchQuery, c.req.query());
    if (!params.q?.trim()) {
      throw new ValidationError("The request has invalid fields", { q: "is required" });
    }
    const page = await searchTickets(
      c.get("deps").store.reader,
      searchInput(params, displayTimeZone(c), assertAgent(c)),
    );
    if (!page.searched) {
      throw new ValidationError("The request has invalid fields", {
        q: "needs a word to look for (exclusions alone find nothing)",
      });
    }
    return c.json({
      results: page.results.map((r) => ({
        ticket: { number: r.ticket.number, subject: r.ticket.subject, status: r.ticket.status },
        message_id: r.messageId,
        direction: r.direction,
        created_at: new Date(r.createdAt).toISOString(),
        // HTML: the text escaped, each match in <mark>.
        snippet: r.snippet,
      })),
      // Matching tickets (one result each), counted up to total_limit (a total equal to it
      // means "or more"); total_exact false: counting stopped early, the total is a lower bound.
      total: page.total,
      total_limit: page.totalLimit,
      total_exact: page.totalExact && page.total < page.totalLimit,
      page: page.page,
      has_next: page.hasNext,
    });
  });
  return app;
}
