/**
 * Records named by a path parameter. A parameter that is not a whole number names nothing (the
 * caller answers 404), and never reaches a query, where NaN would be an error.
 */
import { type Department, findDepartment } from "../db/departments.ts";
import { findTicketByNumber, type Ticket } from "../db/tickets.ts";
import type { Ctx } from "./state.ts";
import { orElse, wholeNumber } from "../domain/validation.ts";
import { canSee } from "../domain/permissions.ts";

/** `?page=` of a web list: a bad or missing value shows the first page rather than an error. */
export const pageQuery = orElse(wholeNumber({ min: 1, max: 100_000 }), 1);

/** A path parameter as a safe integer, or undefined. */
export function intParam(c: Ctx, name: string): number | undefined {
  const n = Number(c.req.param(name));
  return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * The ticket named by `:number`, or undefined — also when the signed-in agent may not see it (an
 * agent restricted to other departments): such a ticket does not admit to existing.
 */
export async function ticketParam(c: Ctx): Promise<Ticket | undefined> {
  const number = intParam(c, "number");
  if (number === undefined) return undefined;
  const { store } = c.get("deps");
  // Kept while nothing is committed (db/read_memo.ts): every ticket route reads it first.
  const ticket = await store.memo(
    `ticket-number\n${number}`,
    () => findTicketByNumber(store.db, number),
  );
  const agent = c.get("agent");
  if (ticket && agent && !canSee({ kind: "agent", ...agent }, ticket)) return undefined;
  return ticket;
}

/** The department named by `:id`, or undefined. */
export async function departmentParam(c: Ctx): Promise<Department | undefined> {
  const id = intParam(c, "id");
  return id === undefined ? undefined : await findDepartment(c.get("deps").store.db, id);
}
