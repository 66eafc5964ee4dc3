/** /api/v1/tickets: list, show, open on a customer's behalf, reply, change status. */
import { Hono } from "hono";
import {
  countByStatus,
  findTicketByNumber,
  INBOX_SORTS,
  listTickets,
  type Ticket,
} from "../../../db/tickets.ts";
import { listMessages } from "../../../db/messages.ts";
import { replyToCustomer } from "../../../services/replies.ts";
import { changePriority, changeStatus } from "../../../services/tickets.ts";
import { createTicketForCustomer } from "../../../services/customer_tickets.ts";
import { NotFoundError } from "../../../domain/errors.ts";
import { DEFAULT_STATUS_AFTER_REPLY, STATUSES } from "../../../domain/ticket_status.ts";
import { PRIORITIES } from "../../../domain/priority.ts";
import { type AppEnv, asAgent, type Ctx } from "../../state.ts";
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
  const messages = await listMessages(store.db, ticket.id);
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
    query.done();
    const { db } = c.get("deps").store;
    const [{ tickets, total }, counts] = await Promise.all([
      listTickets(db, { status, search, page, perPage, sort }),
      countByStatus(db),
    ]);
    return c.json({
      tickets: tickets.map(ticketSummaryJson),
      total,
      page,
      per_page: perPage,
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
    const { store } = c.get("deps");
    const created = await asAgent(c, (ctx) =>
      createTicketForCustomer(ctx, {
        customer: { email: email!, name },
        subject: subject!,
        text: text!,
        channel,
      }));
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
    await asAgent(c, async (ctx) => {
      if (priority) await changePriority(ctx, { ticketId: ticket.id, priority });
      if (status) await changeStatus(ctx, { ticketId: ticket.id, status });
    });
    return c.json(ticketJson((await findTicketByNumber(store.db, ticket.number))!));
  });

  app.post("/:number{[0-9]{1,15}}/reply", async (c) => {
    const ticket = await loadTicket(c);
    const body = await readJsonObject(c);
    const text = body.string("text", { required: true, multiline: true, max: 1_000_000 });
    const status = body.oneOf("status", STATUSES) ?? DEFAULT_STATUS_AFTER_REPLY;
    body.done();
    const { store, config } = c.get("deps");
    const messageId = await asAgent(
      c,
      (ctx) => replyToCustomer(ctx, { ticketId: ticket.id, text: text!, status }),
    );
    const message = (await listMessages(store.db, ticket.id)).find((m) => m.id === messageId)!;
    c.header("location", `/api/v1/tickets/${ticket.number}`);
    return c.json(messageJson(message, config.publicUrl), 201);
  });

  return app;
}
