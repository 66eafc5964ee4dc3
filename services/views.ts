/** Saved inbox views: anyone saves a personal view; supervisors and admins share one with the team. */
import { deleteSavedView, findSavedView, insertSavedView } from "../db/saved_views.ts";
import { ForbiddenError, NotFoundError, ValidationError } from "../domain/errors.ts";
import { can } from "../domain/permissions.ts";
import { requirePermission } from "./access.ts";
import type { OpContext } from "./context.ts";

/** The inbox parameters a view keeps; anything else in the query string is dropped. */
const KEPT = ["status", "sort", "q", "assignee", "department", "tag", "priority", "sla"];

/** Saves the current inbox query as a view; returns its id. */
export async function saveView(
  ctx: OpContext,
  input: { name: string; shared: boolean; query: string },
): Promise<number> {
  if (ctx.actor.kind !== "agent") throw new ForbiddenError("Only agents save views");
  if (input.shared) requirePermission(ctx.actor, "views.share");
  const name = input.name.trim();
  if (!name || name.length > 50) {
    throw new ValidationError("The view needs a name", { name: "must be 1 to 50 characters" });
  }
  const params = new URLSearchParams(input.query);
  const kept = new URLSearchParams([...params].filter(([k, v]) => KEPT.includes(k) && v !== ""));
  return await insertSavedView(ctx.tx, {
    agentId: ctx.actor.id,
    name,
    shared: input.shared,
    query: kept.toString(),
  }, ctx.now);
}

/** Deletes a view: one's own, or any shared one for those who may share. */
export async function removeView(ctx: OpContext, id: number): Promise<void> {
  if (ctx.actor.kind !== "agent") throw new ForbiddenError("Only agents delete views");
  const view = await findSavedView(ctx.tx, id);
  if (!view) throw new NotFoundError("No such view");
  const own = view.agentId === ctx.actor.id;
  if (!own && !(view.shared === 1 && can(ctx.actor, "views.share"))) {
    throw new ForbiddenError("Not your view");
  }
  await deleteSavedView(ctx.tx, id);
}
