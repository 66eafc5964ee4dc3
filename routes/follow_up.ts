/** Agents: set or clear a ticket's follow-up date (POST /tickets/:number/follow-up[/clear]). */
import { Hono } from "hono";
import { redirectWithFlash } from "./flash.ts";
import { followUpInstant } from "../domain/follow_up.ts";
import { setFollowUp } from "../services/tickets.ts";
import { type AppEnv, asAgent, displayTimeZone, nowOf } from "./state.ts";
import { ticketParam } from "./params.ts";
import { orElse, text, v } from "../domain/validation.ts";

/** The date and time inputs as typed; `followUpInstant` decides whether they name an instant. */
const FollowUpForm = v.object({
  date: orElse(text({ max: 10 }), ""),
  time: orElse(text({ max: 5 }), ""),
});

/** Routes under /tickets for follow-up dates. */
export function followUpRoutes() {
  const app = new Hono<AppEnv>();

  app.post("/:number{[0-9]{1,15}}/follow-up", async (c) => {
    const ticket = await ticketParam(c);
    if (!ticket) return c.notFound();
    const form = v.parse(FollowUpForm, await c.req.parseBody());
    // The agent typed a wall time in their own zone (個人設定), the zone the page showed.
    const dueAt = followUpInstant(form.date, form.time, displayTimeZone(c));
    const now = nowOf(c);
    const error = dueAt === null ? "invalid" : dueAt <= now ? "past" : null;
    if (error) return c.redirect(`/tickets/${ticket.number}?follow_up=${error}#follow-up`, 303);
    await asAgent(c, (ctx) => setFollowUp(ctx, { ticketId: ticket.id, dueAt }));
    return redirectWithFlash(c, `/tickets/${ticket.number}#follow-up`, "flash.followUpSet");
  });

  app.post("/:number{[0-9]{1,15}}/follow-up/clear", async (c) => {
    const ticket = await ticketParam(c);
    if (!ticket) return c.notFound();
    await asAgent(c, (ctx) => setFollowUp(ctx, { ticketId: ticket.id, dueAt: null }));
    return redirectWithFlash(c, `/tickets/${ticket.number}#follow-up`, "flash.followUpCleared");
  });

  return app;
}
