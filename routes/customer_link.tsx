/** Agents: rotate a ticket's customer link (POST /tickets/:number/customer-link/rotate). */
import { Hono } from "hono";
import { redirectWithFlash } from "./flash.ts";
import { rotateCustomerAccess } from "../services/customer_access.ts";
import { type AppEnv, asAgent } from "./state.ts";
import { ticketParam } from "./params.ts";

/** Routes under /tickets for the customer link. */
export function customerLinkRoutes() {
  const app = new Hono<AppEnv>();
  app.post("/:number{[0-9]{1,15}}/customer-link/rotate", async (c) => {
    const ticket = await ticketParam(c);
    if (!ticket) return c.notFound();
    await asAgent(c, (ctx) => rotateCustomerAccess(ctx, { ticketId: ticket.id }));
    return redirectWithFlash(c, `/tickets/${ticket.number}#customer-link`, "flash.linkRotated");
  });
  return app;
}
