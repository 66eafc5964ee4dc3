/** /api/v1/tickets: list, show, open on a customer's behalf, reply, change status. */
import { Hono } from "hono";
import { findTicketByNumber, type Ticket } from "../../../db/tickets.ts";
import {
  BadCursorError,
  countByStatus,
  INBOX_SORTS,
  listTickets,
  MAX_PAGE_OFFSET,
} from "../../../db/ticket_list.ts";
import { listMessages } from "../../../db/messages.ts";
import { withShownHtml } from "../../message_html.ts";
import { sendReply } from "../../../services/approvals.ts";
import { findApprovalRequest } from "../../../db/approvals.ts";
import { approvalJson } from "./approvals.ts";
import { changePriority, changeStatus } from "../../../services/tickets.ts";
import { createTicketForCustomer } from "../../../services/customer_tickets.ts";
import { NotFoundError, ValidationError } from "../../../domain/errors.ts";
import { DEFAULT_STATUS_AFTER_REPLY, STATUSES } from "../../../domain/ticket_status.ts";
import { PRIORITIES } from "../../../domain/priority.ts";
import { ticketEtag, versionFromEtag } from "../../../domain/reply_guard.ts";
import { type AppEnv, asAgent, type Ctx } from "../../state.ts";
import { ticketParam } from "../../params.ts";
import { messageJson, ticketJson, ticketSummaryJson } from "./json.ts";
import { readJson } from "./validate.ts";
import { EMAIL_ADDRESS } from "../../../domain/email_address.ts";
import { object, oneOf, parseInput, text, v, wholeNumber } from "../../../domain/validation.ts";

const CHANNEL = /^[a-z][a-z0-9_-]{0,31}$/;

const ListQuery = v.object({
  status: oneOf(STATUSES),
  q: text({ max: 200 }),
  page: wholeNumber({ min: 1, max: 100_000 }),
  per_page: wholeNumber({ min: 1, max: 200 }),
  sort: oneOf(INBOX_SORTS),
  cursor: text({ max: 500 }),
});

const CreateTicket = v.object({
  customer: object({
    email: text({
      required: true,
      max: 254,
      pattern: EMAIL_ADDRESS,
      patternMessage: "must be an e-mail address",
    }),
    name: text({ max: 200 }),
  }, { required: true }),
  subject: text({ required: true, max: 500 }),
  text: text({ required: true, multiline: true, max: 1_000_000 }),
  channel: text({
    max: 32,
    pattern: CHANNEL,
    patternMessage: "must be a lower-case word such as api, phone, chat or line",
  }),
});

const ChangeTicket = v.pipe(
  v.object({ status: oneOf(STATUSES), priority: oneOf(PRIORITIES) }),
  v.forward(
    v.check((b) => b.status !== undefined || b.priority !== undefined, "is required"),
    ["status"],
  ),
);

const Reply = v.object({
  text: text({ required: true, multiline: true, max: 1_000_000 }),
  status: oneOf(STATUSES),
  expected_version: wholeNumber({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  // Take the reply over from a colleague who is writing it (otherwise 409 "locked").
  take_over: v.optional(v.boolean("must be true or false")),
});

/** The version a reply was composed against: `expected_version`, else `If-Match`, else none. */
function expectedVersion(c: Ctx, fromBody: number | undefined): number | undefined {
  if (fromBody !== undefined) return fromBody;
  const header = c.req.header("if-match");
  if (header === undefined) return undefined;
  const version = versionFromEtag(header);
  if (version === null) {
    throw new ValidationError("The request has invalid fields", {
      "If-Match": 'must be the ticket\'s ETag, e.g. W/"v12"',
    });
  }
  return version;
}

/** The ticket named by `:number`, or a 404. */
async function loadTicket(c: Ctx): Promise<Ticket> {
  const ticket = await ticketParam(c);
  if (!ticket) throw new NotFoundError("No such ticket");
  return ticket;
}

/** A ticket with its whole conversation. */
async function ticketWithMessages(c: Ctx, ticket: Ticket) {
  const { store, config } = c.get("deps");
  const messages = withShownHtml(store, await listMessages(store.db, ticket.id));
  return { ...ticketJson(ticket), messages: messages.map((m) => messageJson(m, config.publicUrl)) };
}

/** Routes under /api/v1/tickets. */
export function ticketApiRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/", async (c) => {
    const query = parseInput(ListQuery, c.req.query());
    const { status, q: search, page = 1, per_page: perPage = 50, sort = "newest", cursor } = query;
    if ((page - 1) * perPage > MAX_PAGE_OFFSET) {
      throw new ValidationError("The request has invalid fields", {
        page: `reaches at most ${MAX_PAGE_OFFSET} tickets deep; follow "next" for further pages`,
      });
    }
    const { db } = c.get("deps").store;
    const [list, counts] = await Promise.all([
      listTickets(db, { status, search, page, perPage, sort, cursor }).catch((e) => {
        if (!(e instanceof BadCursorError)) throw e;
        throw new ValidationError("The request has invalid fields", {
          cursor: "is not a cursor of this list (status, q and sort must stay the same)",
        });
      }),
      countByStatus(db),
    ]);
    return c.json({
      tickets: list.tickets.map(ticketSummaryJson),
      total: list.total,
      page: Math.floor(list.offset / perPage) + 1,
      per_page: perPage,
      // Pass as `cursor` for the page after (or before) this one; null at the end.
      next: list.next,
      prev: list.prev,
      counts,
    });
  });

  app.post("/", async (c) => {
    const { customer, subject, text, channel = "api" } = await readJson(c, CreateTicket);
    const { store } = c.get("deps");
    const created = await asAgent(c, (ctx) =>
      createTicketForCustomer(ctx, {
        customer: { email: customer.email, name: customer.name ?? "" },
        subject,
        text,
        channel,
      }));
    const ticket = await findTicketByNumber(store.db, created.number);
    c.header("location", `/api/v1/tickets/${created.number}`);
    return c.json(await ticketWithMessages(c, ticket!), 201);
  });

  app.get("/:number{[0-9]{1,15}}", async (c) => {
    const ticket = await loadTicket(c);
    c.header("etag", ticketEtag(ticket.version));
    return c.json(await ticketWithMessages(c, ticket));
  });

  app.patch("/:number{[0-9]{1,15}}", async (c) => {
    const ticket = await loadTicket(c);
    const { priority, status } = await readJson(c, ChangeTicket);
    const { store } = c.get("deps");
    await asAgent(c, async (ctx) => {
      if (priority) await changePriority(ctx, { ticketId: ticket.id, priority });
      if (status) await changeStatus(ctx, { ticketId: ticket.id, status });
    });
    return c.json(ticketJson((await findTicketByNumber(store.db, ticket.number))!));
  });

  app.post("/:number{[0-9]{1,15}}/reply", async (c) => {
    const ticket = await loadTicket(c);
    const body = await readJson(c, Reply);
    const { text, status = DEFAULT_STATUS_AFTER_REPLY } = body;
    const { store, config } = c.get("deps");
    const expected = expectedVersion(c, body.expected_version);
    const outcome = await asAgent(
      c,
      (ctx) =>
        sendReply(ctx, {
          ticketId: ticket.id,
          text,
          status,
          expectedVersion: expected,
          takeOver: body.take_over,
        }),
    );
    if (outcome.kind === "approval") {
      // Not mailed: waiting in 承認待ち (GET /api/v1/approvals).
      const request = await findApprovalRequest(store.db, outcome.approvalId);
      return c.json({ approval: approvalJson(request!) }, 202);
    }
    const { messageId } = outcome;
    const message = (await listMessages(store.db, ticket.id)).find((m) => m.id === messageId)!;
    c.header("location", `/api/v1/tickets/${ticket.number}`);
    return c.json(messageJson(message, config.publicUrl), 201);
  });

  return app;
}
