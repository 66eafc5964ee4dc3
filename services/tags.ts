/** Tags: admins manage them (name and colour); agents put them on and take them off tickets. */
import {
  deleteTag,
  listTags,
  replaceTicketTags,
  type Tag,
  ticketTags,
  upsertTag,
} from "../db/tags.ts";
import { ValidationError } from "../domain/errors.ts";
import type { OpContext } from "./context.ts";
import { requirePermission, ticketFor } from "./access.ts";
import { afterTicketChange } from "./after_change.ts";

const COLOR = /^#[0-9a-f]{6}$/i;

/** Creates or recolours a tag (admins). */
export async function saveTag(
  ctx: OpContext,
  input: { name: string; color: string },
): Promise<Tag> {
  requirePermission(ctx.actor, "tags.manage");
  const name = input.name.trim();
  const fields: Record<string, string> = {};
  if (!name || name.length > 50) fields.name = "must be 1 to 50 characters";
  if (!COLOR.test(input.color)) fields.color = "must be a colour like #3366cc";
  if (Object.keys(fields).length) throw new ValidationError("The tag is invalid", fields);
  return await upsertTag(ctx.tx, { name, color: input.color.toLowerCase() }, ctx.now);
}

/** Deletes a tag (admins). */
export async function removeTag(ctx: OpContext, id: number): Promise<void> {
  requirePermission(ctx.actor, "tags.manage");
  await deleteTag(ctx.tx, id);
}

/** Sets a ticket's tags by name; every name must be an existing tag (422 otherwise). */
export async function setTicketTags(
  ctx: OpContext,
  input: { ticketId: number; tags: string[] },
): Promise<void> {
  const ticket = await ticketFor(ctx, input.ticketId, "ticket.tag");
  const all = await listTags(ctx.tx);
  const unknown = input.tags.filter((n) => !all.some((t) => t.name === n));
  if (unknown.length) {
    throw new ValidationError("Unknown tags", { tags: `unknown: ${unknown.join(", ")}` });
  }
  const before = (await ticketTags(ctx.tx, ticket.id)).map((t) => t.name);
  const after = [...new Set(input.tags)].sort();
  await replaceTicketTags(
    ctx.tx,
    ticket.id,
    all.filter((t) => after.includes(t.name)).map((t) => t.id),
  );
  const added = after.filter((n) => !before.includes(n));
  const removed = before.filter((n) => !after.includes(n));
  if (added.length === 0 && removed.length === 0) return;
  await afterTicketChange(ctx, {
    ticketId: ticket.id,
    event: { kind: "tags.changed", data: { added, removed } },
  });
}
