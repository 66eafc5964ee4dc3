/** Agents: set or clear a ticket's follow-up date (POST /tickets/:number/follow-up[/clear]). */
import { Hono } from "hono";
import { followUpInstant } from "../domain/follow_up.ts";
import { setFollowUp } from "../loops/follow_up.ts";
import { type AppEnv, assertAgent, displayTimeZone } from "./state.ts";
import { ticketParam } from "./params.ts";

/** Routes under /tickets for follow-up dates. */
export function followUpRoutes() {
  const app = new Hono<AppEnv>();

  app.post("/:number{[0-9]{1,15}}/follow-up", async (c) => {
    const ticket = await ticketParam(c);
    if (!ticket) return c.notFound();
    const form = await c.req.parseBody();
    // The agent typed a wall time in their own zone (個人設定), the zone the page showed.
    const dueAt = followUpInstant(
      String(form.date ?? ""),
      String(form.time ?? ""),
      displayTimeZone(c),
    );
    const now = (c.get("deps").now ?? Date.now)();
    const error = dueAt === null ? "invalid" : dueAt <= now ? "past" : null;
    if (error) return c.redirect(`/tickets/${ticket.number}?follow_up=${error}#follow-up`, 303);
    await setFollowUp(c.get("deps").store, {
      ticketId: ticket.id,
      dueAt,
      agentId: assertAgent(c).id,
      now,
    });
    return c.redirect(`/tickets/${ticket.number}#follow-up`, 303);
  });

  app.post("/:number{[0-9]{1,15}}/follow-up/clear", async (c) => {
    const ticket = await ticketParam(c);
    if (!ticket) return c.notFound();
    const now = (c.get("deps").now ?? Date.now)();
    await setFollowUp(c.get("deps").store, {
      ticketId: ticket.id,
      dueAt: null,
      agentId: assertAgent(c).id,
      now,
    });
    return c.redirect(`/tickets/${ticket.number}#follow-up`, 303);
  });

  return app;
}
