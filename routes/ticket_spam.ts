/** Agents: move a ticket out of or into 迷惑メール (POST /tickets/:number/not-spam, /spam). */
import { Hono } from "hono";
import { markNotSpam, markSpam } from "../services/spam.ts";
import { type AppEnv, asAgent } from "./state.ts";
import { ticketParam } from "./params.ts";

/** Routes under /tickets for the spam folder. */
export function ticketSpamRoutes() {
  const app = new Hono<AppEnv>();

  app.post("/:number{[0-9]{1,15}}/not-spam", async (c) => {
    const ticket = await ticketParam(c);
    if (!ticket) return c.notFound();
    const now = await asAgent(c, (ctx) => markNotSpam(ctx, { ticketId: ticket.id }));
    return c.redirect(`/tickets/${now.ticketNumber}`, 303);
  });

  app.post("/:number{[0-9]{1,15}}/spam", async (c) => {
    const ticket = await ticketParam(c);
    if (!ticket) return c.notFound();
    await asAgent(c, (ctx) => markSpam(ctx, { ticketId: ticket.id }));
    return c.redirect("/?status=spam", 303);
  });

  return app;
}
