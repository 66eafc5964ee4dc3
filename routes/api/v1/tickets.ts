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
import { withShownHtml } from "../../../db/message_html.ts";
import { changeStatus, queueReply, replySettings } from "../../../mail/reply.ts";
import { createTicketForCustomer } from "../../../mail/create_ticket.ts";
import { NotFoundError, ValidationError } from "../../../domain/errors.ts";
import { DEFAULT_STATUS_AFTER_REPLY, STATUSES } from "../../../domain/ticket_status.ts";
import { PRIORITIES } from "../../../domain/priority.ts";
import { changePriority } from "../../../db/ticket_routing.ts";
import { type AppEnv, assertAgent, type Ctx } from "../../state.ts";
import { ticketParam } from "../../params.ts";
import { messageJson, ticketJson, ticketSummaryJson } from "./json.ts";
import { EMAIL, FieldReader, readJsonObject } from "./validate.ts";

const CHANNEL = /^[a-z][a-z0-9_-]{0,31}$/;

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
    const query = new FieldReader(c.req.query());
    const status = query.oneOf("status", STATUSES);
    const search = query.string("q", { max: 200 });
    const page = query.integer("page", { min: 1, max: 100_000 }) ?? 1;
    const perPage = query.integer("per_page", { min: 1, max: 200 }) ?? 50;
    const sort = query.oneOf("sort", INBOX_SORTS) ?? "newest";
    const cursor = query.string("cursor", { max: 500 });
    query.done();
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
    const body = await readJsonObject(c);
    const customer = body.object("customer", { required: true });
    const email = customer?.string("email", {
      required: true,
      max: 254,
      pattern: EMAIL,
      patternMessage: "must be an e-mail address",
    });
    const name = customer?.string("name", { max: 200 }) ?? "";
    const subject = body.string("subject", { required: true, max: 500 });
    const text = body.string("text", { required: true, multiline: true, max: 1_000_000 });
    const channel = body.string("channel", {
      max: 32,
      pattern: CHANNEL,
      patternMessage: "must be a lower-case word such as api, phone, chat or line",
    }) ?? "api";
    body.done();
    const { store, config } = c.get("deps");
    const created = await createTicketForCustomer(store, {
      customer: { email: email!, name },
      subject: subject!,
      text: text!,
      channel,
      supportAddress: config.supportAddress,
      agentId: assertAgent(c).id,
    });
    const ticket = await findTicketByNumber(store.db, created.number);
    c.header("location", `/api/v1/tickets/${created.number}`);
    return c.json(await ticketWithMessages(c, ticket!), 201);
  });

  app.get("/:number{[0-9]{1,15}}", async (c) => {
    return c.json(await ticketWithMessages(c, await loadTicket(c)));
  });

  app.patch("/:number{[0-9]{1,15}}", async (c) => {
    const ticket = await loadTicket(c);
    const body = await readJsonObject(c);
    const priority = body.oneOf("priority", PRIORITIES);
    const status = body.oneOf("status", STATUSES, { required: priority === undefined });
    body.done();
    const { store } = c.get("deps");
    if (priority) await changePriority(store, ticket.id, priority, assertAgent(c).id);
    if (status) await changeStatus(store, ticket.id, status, assertAgent(c).id);
    return c.json(ticketJson((await findTicketByNumber(store.db, ticket.number))!));
  });

  app.post("/:number{[0-9]{1,15}}/reply", async (c) => {
    const ticket = await loadTicket(c);
    const body = await readJsonObject(c);
    const text = body.string("text", { required: true, multiline: true, max: 1_000_000 });
    const status = body.oneOf("status", STATUSES) ?? DEFAULT_STATUS_AFTER_REPLY;
    body.done();
    const { store, config, outbox } = c.get("deps");
    const agent = assertAgent(c);
    const messageId = await queueReply(store, replySettings(config), {
      ticketId: ticket.id,
      agent,
      text: text!,
      status,
    });
    outbox.wake();
    const message = (await listMessages(store.db, ticket.id)).find((m) => m.id === messageId)!;
    c.header("location", `/api/v1/tickets/${ticket.number}`);
    return c.json(messageJson(message, config.publicUrl), 201);
  });

  return app;
}
