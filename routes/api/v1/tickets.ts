/** /api/v1/tickets: list, show, open on a customer's behalf, reply, change status. */
import { Hono } from "hono";
import { findTicketByNumber, type Ticket } from "../../../db/tickets.ts";
import {
  BadCursorError,
  countByStatus,
  INBOX_SORTS,
  listTickets,
  MAX_PAGE_OFFSET,
  SLA_VIEWS,
} from "../../../db/ticket_list.ts";
import { listMessages } from "../../../db/messages.ts";
import { withShownHtml } from "../../message_html.ts";
import { changeDepartment, changePriority, changeStatus } from "../../../services/tickets.ts";
import { assignTicket } from "../../../services/assignment.ts";
import { addNote, transferTicket } from "../../../services/collaboration.ts";
import { setTicketTags } from "../../../services/tags.ts";
import { findTagByName } from "../../../db/tags.ts";
import { ticketEventsJson, ticketTeamJson } from "./team_json.ts";
import { sendReply } from "../../../services/approvals.ts";
import { findApprovalRequest } from "../../../db/approvals.ts";
import { approvalsJson } from "./approvals.ts";
import { createTicketForCustomer } from "../../../services/customer_tickets.ts";
import { NotFoundError, ValidationError } from "../../../domain/errors.ts";
import { DEFAULT_STATUS_AFTER_REPLY, STATUSES } from "../../../domain/ticket_status.ts";
import { PRIORITIES } from "../../../domain/priority.ts";
import { ticketEtag, versionFromEtag } from "../../../domain/reply_guard.ts";
import { type AppEnv, asAgent, assertAgent, type Ctx, nowOf } from "../../state.ts";
import { ticketParam } from "../../params.ts";
import { messageJson, ticketSummaryJson } from "./json.ts";
import { readJson } from "./validate.ts";
import { EMAIL_ADDRESS } from "../../../domain/email_address.ts";
import type { InboundAttachment } from "../../../domain/inbound_message.ts";
import { safeFilename } from "../../../domain/inquiry_form.ts";
import { MAX_RECIPIENTS } from "../../../domain/recipients.ts";
import { Buffer } from "node:buffer";
import { object, oneOf, parseInput, text, v, wholeNumber } from "../../../domain/validation.ts";

const CHANNEL = /^[a-z][a-z0-9_-]{0,31}$/;

const ListQuery = v.object({
  status: oneOf(STATUSES),
  q: text({ max: 200 }),
  page: wholeNumber({ min: 1, max: 100_000 }),
  per_page: wholeNumber({ min: 1, max: 200 }),
  sort: oneOf(INBOX_SORTS),
  cursor: text({ max: 500 }),
  assignee: v.optional(
    v.union(
      [v.picklist(["me", "none"]), v.pipe(v.string(), v.regex(/^\d{1,15}$/))],
      'must be "me", "none" or an agent id',
    ),
  ),
  department_id: wholeNumber({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  tag: text({ max: 100 }),
  priority: oneOf(PRIORITIES),
  sla: oneOf(SLA_VIEWS),
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

const id = v.pipe(v.number("must be an id"), v.safeInteger("must be an id"), v.minValue(1));

const ChangeTicket = v.pipe(
  v.object({
    status: oneOf(STATUSES),
    priority: oneOf(PRIORITIES),
    assignee_id: v.optional(v.nullable(id)),
    department_id: v.optional(id),
    tags: v.optional(v.array(v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(50)))),
  }),
  v.forward(
    v.check((b) => Object.values(b).some((x) => x !== undefined), "is required"),
    ["status"],
  ),
);

const Transfer = v.object({
  assignee_id: v.optional(v.nullable(id)),
  department_id: v.optional(id),
  memo: text({ required: true, multiline: true, max: 10_000 }),
});

const Attachment = v.object({
  filename: text({ required: true, max: 200 }),
  content_type: text({
    max: 100,
    pattern: /^[\w.+-]+\/[\w.+-]+$/,
    patternMessage: "must be a media type such as application/pdf",
  }),
  content_base64: v.pipe(
    v.string("must be a string"),
    v.transform((s) => s.replace(/\s+/g, "")),
    // A plain character class: valibot's base64 pattern recurses per group, overflowing on MBs.
    v.check((s) => s.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(s), "must be base64"),
  ),
}, "must be an object");

const Note = v.pipe(
  v.object({
    text: text({ multiline: true, max: 100_000 }),
    attachments: v.optional(v.array(Attachment, "must be a list of files"), []),
  }),
  v.forward(
    v.check((b) => b.text !== undefined || b.attachments.length > 0, "is required"),
    ["text"],
  ),
);

/** A posted file's bytes; 422 when the base64 does not decode. */
function decodeFile(a: v.InferOutput<typeof Attachment>, i: number): InboundAttachment {
  let content: Uint8Array;
  try {
    content = Uint8Array.from(
      atob(a.content_base64.replace(/[\r\n]/g, "")),
      (ch) => ch.charCodeAt(0),
    );
  } catch {
    throw new ValidationError("The request has invalid fields", {
      [`attachments.${i}.content_base64`]: "must be base64",
    });
  }
  return {
    filename: safeFilename(a.filename),
    contentType: a.content_type ?? "application/octet-stream",
    contentId: null,
    disposition: "attachment",
    content,
  };
}

/** One mailbox per entry ("addr" or "Name <addr>"); the service checks each. */
const RecipientList = v.optional(
  v.pipe(
    v.array(
      v.pipe(v.string("must be a string"), v.maxLength(400, "must be at most 400 characters")),
      "must be an array of addresses",
    ),
    v.maxLength(MAX_RECIPIENTS, `may hold at most ${MAX_RECIPIENTS} addresses`),
  ),
);

const Reply = v.object({
  text: text({ required: true, multiline: true, max: 1_000_000 }),
  // Absent: reply-all (the customer, and the Cc of their last mail); given: replaces that field.
  to: RecipientList,
  cc: RecipientList,
  bcc: RecipientList,
  // Limits as the web form (5 files, 10 MB each, 20 MB in total): 422 past them.
  attachments: v.optional(v.array(Attachment, "must be an array"), []),
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

/** A ticket with its whole conversation and its history. */
async function ticketWithMessages(c: Ctx, ticket: Ticket) {
  const { store, config } = c.get("deps");
  const messages = withShownHtml(store, await listMessages(store.db, ticket.id));
  return {
    ...await ticketTeamJson(store.db, ticket),
    messages: messages.map((m) => messageJson(m, config.publicUrl)),
    events: await ticketEventsJson(store.db, ticket.id),
  };
}

/** Routes under /api/v1/tickets. */
export function ticketApiRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/", async (c) => {
    const query = parseInput(ListQuery, c.req.query());
    const { status, q: search, page = 1, per_page: perPage = 50, sort = "newest", cursor } = query;
    const me = assertAgent(c);
    const restrictedTo = me.departmentIds ?? undefined;
    const departmentIds = query.department_id === undefined
      ? restrictedTo
      : restrictedTo && !restrictedTo.includes(query.department_id)
      ? []
      : [query.department_id];
    const assignee = query.assignee === "me"
      ? me.id
      : query.assignee === "none" || query.assignee === undefined
      ? query.assignee
      : Number(query.assignee);
    const tagId = query.tag === undefined
      ? undefined
      : (await findTagByName(c.get("deps").store.db, query.tag))?.id ?? -1;
    if ((page - 1) * perPage > MAX_PAGE_OFFSET) {
      throw new ValidationError("The request has invalid fields", {
        page: `reaches at most ${MAX_PAGE_OFFSET} tickets deep; follow "next" for further pages`,
      });
    }
    const { db } = c.get("deps").store;
    const [list, counts] = await Promise.all([
      listTickets(db, {
        status,
        search,
        page,
        perPage,
        sort,
        cursor,
        departmentIds,
        assignee,
        tagId,
        priority: query.priority,
        sla: query.sla,
        now: nowOf(c),
      }, { walker: c.get("deps").store.reader }).catch((e) => {
        if (!(e instanceof BadCursorError)) throw e;
        throw new ValidationError("The request has invalid fields", {
          cursor: "is not a cursor of this list (status, q and sort must stay the same)",
        });
      }),
      countByStatus(db, restrictedTo),
    ]);
    return c.json({
      tickets: list.tickets.map(ticketSummaryJson),
      total: list.total,
      // A count the folder counters cannot give is bounded: `total` is then 1000 and there are more.
      total_capped: list.totalCapped,
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
    const b = await readJson(c, ChangeTicket);
    const { store } = c.get("deps");
    const ticketId = ticket.id;
    await asAgent(c, async (ctx) => {
      if (b.priority) await changePriority(ctx, { ticketId, priority: b.priority });
      if (b.status) await changeStatus(ctx, { ticketId, status: b.status });
      if (b.department_id !== undefined) {
        await changeDepartment(ctx, { ticketId, departmentId: b.department_id });
      }
      if (b.assignee_id !== undefined) {
        await assignTicket(ctx, { ticketId, assigneeId: b.assignee_id });
      }
      if (b.tags) await setTicketTags(ctx, { ticketId, tags: b.tags });
    });
    const after = (await findTicketByNumber(store.db, ticket.number))!;
    return c.json(await ticketTeamJson(store.db, after));
  });

  app.post("/:number{[0-9]{1,15}}/reply", async (c) => {
    const ticket = await loadTicket(c);
    const body = await readJson(c, Reply);
    const { text, status = DEFAULT_STATUS_AFTER_REPLY } = body;
    const { store, config } = c.get("deps");
    const expected = expectedVersion(c, body.expected_version);
    const attachments = body.attachments.map((a) => ({
      filename: a.filename,
      contentType: a.content_type ?? "application/octet-stream",
      content: new Uint8Array(Buffer.from(a.content_base64, "base64")),
    }));
    const outcome = await asAgent(
      c,
      (ctx) =>
        sendReply(ctx, {
          ticketId: ticket.id,
          text,
          status,
          expectedVersion: expected,
          takeOver: body.take_over,
          recipients: { to: body.to, cc: body.cc, bcc: body.bcc },
          attachments,
        }),
    );
    if (outcome.kind === "approval") {
      // Not mailed: waiting in 承認待ち (GET /api/v1/approvals).
      const request = await findApprovalRequest(store.db, outcome.approvalId);
      return c.json({ approval: (await approvalsJson(store.db, [request!]))[0] }, 202);
    }
    const { messageId } = outcome;
    const message = (await listMessages(store.db, ticket.id)).find((m) => m.id === messageId)!;
    c.header("location", `/api/v1/tickets/${ticket.number}`);
    return c.json(messageJson(message, config.publicUrl), 201);
  });

  app.post("/:number{[0-9]{1,15}}/transfer", async (c) => {
    const ticket = await loadTicket(c);
    const b = await readJson(c, Transfer);
    await asAgent(c, (ctx) =>
      transferTicket(ctx, {
        ticketId: ticket.id,
        assigneeId: b.assignee_id,
        departmentId: b.department_id,
        memo: b.memo,
      }));
    const { store } = c.get("deps");
    return c.json(
      await ticketTeamJson(store.db, (await findTicketByNumber(store.db, ticket.number))!),
    );
  });

  app.post("/:number{[0-9]{1,15}}/notes", async (c) => {
    const ticket = await loadTicket(c);
    const body = await readJson(c, Note);
    const attachments = body.attachments.map(decodeFile);
    const { store, config } = c.get("deps");
    const messageId = await asAgent(
      c,
      (ctx) => addNote(ctx, { ticketId: ticket.id, text: body.text ?? "", attachments }),
    );
    const message = (await listMessages(store.db, ticket.id)).find((m) => m.id === messageId)!;
    c.header("location", `/api/v1/tickets/${ticket.number}`);
    return c.json(messageJson(message, config.publicUrl), 201);
  });

  return app;
}
