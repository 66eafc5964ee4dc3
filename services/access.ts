/**
 * Permission checks for operations (domain/permissions.ts holds the matrix). A ticket the actor
 * may not see is reported as missing (404), one they see but may not act on as forbidden (403).
 */
import { findTicket, type Ticket } from "../db/tickets.ts";
import { ForbiddenError, NotFoundError } from "../domain/errors.ts";
import { type Action, can, canSee } from "../domain/permissions.ts";
import type { Actor, OpContext } from "./context.ts";

/** Throws ForbiddenError unless the actor may perform `action` (not about one ticket). */
export function requirePermission(actor: Actor, action: Action): void {
  if (actor.kind === "customer") throw new ForbiddenError("Customers cannot do this");
  if (!can(actor, action)) throw new ForbiddenError(`Not allowed: ${action}`);
}

/** Whether a customer or the system, not an agent, performs the operation (no role applies). */
function unrestricted(actor: Actor): boolean {
  return actor.kind !== "agent";
}

/** Throws unless the actor sees the ticket (404) and may perform `action` on it (403). */
export function checkTicket(actor: Actor, action: Action, ticket: Ticket): void {
  if (unrestricted(actor)) return;
  if (!canSee(actor, ticket)) throw new NotFoundError("No such ticket");
  if (!can(actor, action, ticket)) throw new ForbiddenError(`Not allowed: ${action}`);
}

/** The ticket, once the actor is allowed `action` on it; NotFoundError when it does not exist. */
export async function ticketFor(ctx: OpContext, ticketId: number, action: Action): Promise<Ticket> {
  const ticket = await findTicket(ctx.tx, ticketId);
  if (!ticket) throw new NotFoundError("No such ticket");
  checkTicket(ctx.actor, action, ticket);
  return ticket;
}
