/** The ticket page's team panel and its forms: assign, tags, transfer with a memo, notes. */
import { Hono } from "hono";
import type { Ticket } from "../db/tickets.ts";
import { listAgents } from "../db/agents.ts";
import { listDepartments } from "../db/departments.ts";
import { listTags, ticketTags } from "../db/tags.ts";
import { listTicketEvents } from "../db/events.ts";
import { canSee } from "../domain/permissions.ts";
import { assignTicket } from "../services/assignment.ts";
import { addNote, transferTicket } from "../services/collaboration.ts";
import { setTicketTags } from "../services/tags.ts";
import { type TeamParts, teamParts } from "../components/TicketSidePanel.tsx";
import { type AppEnv, asAgent, assertAgent, type Ctx, displayTimeZone } from "./state.ts";
import { ticketParam } from "./params.ts";
import { bodyLimit } from "hono/body-limit";
import { MAX_BODY_BYTES, MAX_TOTAL_BYTES, Uploads } from "../domain/inquiry_form.ts";
import { checkInput } from "../domain/validation.ts";
import { describeFiles, readFormBody, toAttachments } from "./customer_form.tsx";
import { renderPage } from "./render.tsx";
import { redirectWithFlash } from "./flash.ts";

/** The team's parts of the ticket page (routes/tickets.tsx places them in its side panel). */
export async function teamPanel(c: Ctx, ticket: Ticket): Promise<TeamParts> {
  const { store } = c.get("deps");
  const db = store.db;
  // Kept while nothing is committed (db/read_memo.ts).
  const [agents, departments, tags, onTicket, events] = await store.memo(
    `team-panel\n${ticket.id}`,
    () =>
      Promise.all([
        listAgents(db),
        listDepartments(db),
        listTags(db),
        ticketTags(db, ticket.id),
        listTicketEvents(db, ticket.id),
      ]),
  );
  const assignable = agents.filter((a) =>
    !a.disabled &&
    canSee({ kind: "agent", ...a, departmentIds: a.restricted ? a.departmentIds : null }, ticket)
  );
  // A disabled assignee stays visible as "名前 (無効)".
  const current = agents.find((a) => a.id === ticket.assigneeId);
  if (current?.disabled) {
    assignable.push({ ...current, name: `${current.name} (${c.get("t")("team.disabledAgent")})` });
  }
  return teamParts({
    t: c.get("t"),
    locale: c.get("locale"),
    timeZone: displayTimeZone(c),
    ticket,
    me: assertAgent(c).id,
    agents: assignable.map((a) => ({ id: a.id, name: a.name })),
    departments,
    tags,
    ticketTags: onTicket,
    events: events.map((e) => ({ ...e, data: JSON.parse(e.dataJson) })),
  });
}

function optionalId(x: unknown): number | null {
  const n = Number(x);
  return x !== "" && x !== undefined && Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** The files were refused: say why, and the way back to the ticket (the note was not saved). */
function noteProblem(c: Ctx, number: number, detail: string, status: 413 | 422) {
  const t = c.get("t");
  return renderPage(
    c,
    t("noteFiles.label"),
    <section class="card narrow">
      <p class="error" role="alert">{t("noteFiles.error", { detail })}</p>
      <p>
        <a href={`/tickets/${number}#note`}>← {t("routing.backToTicket")}</a>
      </p>
    </section>,
    status as 422,
  );
}

function noteBodyLimit() {
  return bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => {
      const number = Number(c.req.param("number"));
      const t = (c as Ctx).get("t");
      const detail = t("inquiry.tooLarge", { total: MAX_TOTAL_BYTES / 1024 / 1024 });
      return noteProblem(c as Ctx, number, detail, 413);
    },
  });
}

/** Routes under /tickets/:number for the team's forms. */
export function teamTicketRoutes() {
  const app = new Hono<AppEnv>();

  app.post("/:number{[0-9]{1,15}}/assign", async (c) => {
    const ticket = await ticketParam(c);
    if (!ticket) return c.notFound();
    const raw = (await c.req.parseBody()).assignee_id;
    const assigneeId = raw === "me" ? assertAgent(c).id : optionalId(raw);
    await asAgent(c, (ctx) => assignTicket(ctx, { ticketId: ticket.id, assigneeId }));
    return redirectWithFlash(c, `/tickets/${ticket.number}`, "flash.assigned");
  });

  app.post("/:number{[0-9]{1,15}}/transfer", async (c) => {
    const ticket = await ticketParam(c);
    if (!ticket) return c.notFound();
    const form = await c.req.parseBody();
    await asAgent(c, (ctx) =>
      transferTicket(ctx, {
        ticketId: ticket.id,
        assigneeId: optionalId(form.assignee_id),
        departmentId: optionalId(form.department_id) ?? undefined,
        memo: String(form.memo ?? ""),
      }));
    return redirectWithFlash(c, `/tickets/${ticket.number}`, "flash.transferred");
  });

  // A note may carry files: the app's 2 MB body limit skips this path (routes/mod.tsx).
  app.post("/:number{[0-9]{1,15}}/notes", noteBodyLimit(), async (c) => {
    const ticket = await ticketParam(c);
    if (!ticket) return c.notFound();
    const body = await readFormBody(c);
    const checked = checkInput(Uploads, describeFiles(body.files), c.get("t"));
    if (!checked.ok) {
      return noteProblem(c, ticket.number, Object.values(checked.fields)[0] ?? "", 422);
    }
    const text = body.fields.note ?? "";
    const attachments = await toAttachments(body.files);
    const id = await asAgent(c, (ctx) => addNote(ctx, { ticketId: ticket.id, text, attachments }));
    return redirectWithFlash(c, `/tickets/${ticket.number}#m${id}`, "flash.noteAdded");
  });

  app.post("/:number{[0-9]{1,15}}/tags", async (c) => {
    const ticket = await ticketParam(c);
    if (!ticket) return c.notFound();
    const raw = (await c.req.parseBody({ all: true })).tags;
    const tags = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String);
    await asAgent(c, (ctx) => setTicketTags(ctx, { ticketId: ticket.id, tags }));
    return redirectWithFlash(c, `/tickets/${ticket.number}`, "flash.tagsSaved");
  });

  return app;
}
