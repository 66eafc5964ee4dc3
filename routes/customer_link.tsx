/** Agents: rotate a ticket's customer link (POST /tickets/:number/customer-link/rotate). */
import { Hono } from "hono";
import { customerMailSettings, rotateCustomerAccess } from "../mail/customer_link.ts";
import { type AppEnv, assertAgent } from "./state.ts";
import { ticketParam } from "./params.ts";

/** Routes under /tickets for the customer link. */
export function customerLinkRoutes() {
  const app = new Hono<AppEnv>();
  app.post("/:number{[0-9]{1,15}}/customer-link/rotate", async (c) => {
    const ticket = await ticketParam(c);
    if (!ticket) return c.notFound();
    const { store, config, outbox } = c.get("deps");
    await rotateCustomerAccess(store, customerMailSettings(config), {
      ticketId: ticket.id,
      agentId: assertAgent(c).id,
    });
    outbox.wake();
    return c.redirect(`/tickets/${ticket.number}#customer-link`, 303);
  });
  return app;
}
