/** POST /tickets/:number/priority and /department: what picks a ticket's SLA policy. */
import { Hono } from "hono";
import { redirectWithFlash } from "./flash.ts";
import { findTicketByNumber } from "../db/tickets.ts";
import { changeDepartment, changePriority } from "../services/tickets.ts";
import { PRIORITIES } from "../domain/priority.ts";
import { oneOf, parseInput, v, wholeNumber } from "../domain/validation.ts";
import { listDepartments } from "../db/departments.ts";
import { ticketSlaView } from "../db/sla_view.ts";
import { type SlaParts, slaParts } from "../components/SlaPanel.tsx";
import { type AppEnv, asAgent, type Ctx, displayTimeZone } from "./state.ts";

const PriorityForm = v.object({ priority: oneOf(PRIORITIES, { required: true }) });
const DepartmentForm = v.object({
  department: wholeNumber({ min: 1, max: Number.MAX_SAFE_INTEGER, required: true }),
});

/** Routes under /tickets/:number for priority and department changes. */
export function ticketSlaRoutes() {
  const app = new Hono<AppEnv>();

  app.post("/:number{[0-9]{1,15}}/priority", async (c) => {
    const { store } = c.get("deps");
    const ticket = await findTicketByNumber(store.db, Number(c.req.param("number")));
    if (!ticket) return c.notFound();
    const { priority } = parseInput(PriorityForm, await c.req.parseBody());
    await asAgent(c, (ctx) => changePriority(ctx, { ticketId: ticket.id, priority }));
    return redirectWithFlash(c, `/tickets/${ticket.number}`, "flash.priorityChanged");
  });

  app.post("/:number{[0-9]{1,15}}/department", async (c) => {
    const { store } = c.get("deps");
    const ticket = await findTicketByNumber(store.db, Number(c.req.param("number")));
    if (!ticket) return c.notFound();
    const { department: departmentId } = parseInput(DepartmentForm, await c.req.parseBody());
    await asAgent(c, (ctx) => changeDepartment(ctx, { ticketId: ticket.id, departmentId }));
    return redirectWithFlash(c, `/tickets/${ticket.number}`, "flash.departmentChanged");
  });

  return app;
}

/** The ticket page's priority, department and SLA clocks for this agent's language and zone, or null if the ticket is gone. */
export async function slaPanel(
  c: Ctx,
  ticket: { id: number; number: number },
): Promise<SlaParts | null> {
  const { store, now } = c.get("deps");
  const at = (now ?? Date.now)();
  // Kept while nothing is committed (db/read_memo.ts); the clocks move with time: per second.
  const [view, departments] = await store.memo(
    `sla-panel\n${ticket.id}\n${Math.floor(at / 1000)}`,
    () => Promise.all([ticketSlaView(store.db, ticket.id, at), listDepartments(store.db)]),
  );
  if (!view) return null;
  return slaParts({
    t: c.get("t"),
    ticketNumber: ticket.number,
    view,
    departments,
    timeZone: displayTimeZone(c),
    locale: c.get("locale"),
  });
}
