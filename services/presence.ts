/**
 * Presence: who views or writes a ticket, kept in the database so that every process serving
 * pages sees the same (db/presence.ts). A beat records the agent until PRESENCE_TTL_MS from now;
 * the page beats more often while it is open and visible, says "gone" when it closes or idles
 * (sendBeacon), and a tab that vanished silently expires. Live pages hear of a change (someone
 * came, started writing, left) through the change feed; a mere refresh tells nobody.
 */
import { ticketVersion } from "../db/ticket_versions.ts";
import {
  deletePresence,
  findPresence,
  type PresenceState,
  pruneExpiredPresence,
  upsertPresence,
} from "../db/presence.ts";
import { NotFoundError } from "../domain/errors.ts";
import type { OpContext } from "./context.ts";

/** A beat lasts this long (pages beat every 15 s). */
export const PRESENCE_TTL_MS = 45_000;

/** Rows expired longer ago than this are deleted (live hubs have long seen them expire). */
const PRUNE_AFTER_MS = 10 * 60_000;

/** Records the acting agent's presence on a ticket ("gone": they left). */
export async function beatPresence(
  ctx: OpContext,
  input: { ticketId: number; state: PresenceState | "gone" },
): Promise<void> {
  if (ctx.actor.kind !== "agent") throw new Error("beatPresence: only an agent is present");
  if (await ticketVersion(ctx.tx, input.ticketId) === undefined) {
    throw new NotFoundError("No such ticket");
  }
  const agentId = ctx.actor.id;
  let changed: boolean;
  if (input.state === "gone") {
    changed = await deletePresence(ctx.tx, input.ticketId, agentId, ctx.now);
  } else {
    const before = await findPresence(ctx.tx, input.ticketId, agentId, ctx.now);
    await upsertPresence(ctx.tx, {
      ticketId: input.ticketId,
      agentId,
      state: input.state,
      expiresAt: ctx.now + PRESENCE_TTL_MS,
    });
    changed = before !== input.state;
  }
  await pruneExpiredPresence(ctx.tx, ctx.now - PRUNE_AFTER_MS);
  if (changed) ctx.notify({ ticketId: input.ticketId, kind: "presence" });
}
