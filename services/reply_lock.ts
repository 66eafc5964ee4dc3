/**
 * The reply lock: who holds the reply on a ticket. Today the holder is the agent writing it (a
 * lock row refreshed by their draft saves and presence while they type, stale after
 * LOCK_STALE_MS: a closed tab or an idle agent lets go by itself). When assignment lands (issue
 * 8), the assignee joins here, in `replyHolder`, and nowhere else.
 *
 * Sending while someone else holds the reply is refused (ConflictError "locked") unless the agent
 * takes it over explicitly; the take-over is an audit event and the previous holder is notified.
 */
import { findReplyLock, putReplyLock, releaseReplyLock } from "../db/reply_locks.ts";
import { insertNotifications } from "../db/notifications.ts";
import { recordEvent } from "../db/events.ts";
import { ConflictError, ForbiddenError } from "../domain/errors.ts";
import type { Actor, OpContext } from "./context.ts";
import type { Db, Tx } from "../db/client.ts";

/** A writer not seen for this long (no draft save, no presence beat) no longer holds the reply. */
export const LOCK_STALE_MS = 2 * 60_000;

export const REPLY_TAKEN_OVER = "reply.taken_over";

/** Who holds the reply on a ticket and why. */
export interface ReplyHolder {
  agentId: number;
  name: string;
  /** "writing": they are writing a reply now. (Issue 8 adds "assignee".) */
  reason: "writing";
  since: number;
}

/** Who holds the reply on a ticket now, or null when nobody does. */
export async function replyHolder(
  db: Db | Tx,
  ticketId: number,
  now: number,
): Promise<ReplyHolder | null> {
  const lock = await findReplyLock(db, ticketId);
  if (!lock || now - lock.seenAt > LOCK_STALE_MS) return null;
  return { agentId: lock.agentId, name: lock.agentName, reason: "writing", since: lock.acquiredAt };
}

/** Whether `actor` may take the reply over from `holder`: admins and supervisors always may. */
export function mayTakeOver(actor: Actor, _holder: ReplyHolder): boolean {
  if (actor.kind !== "agent") return false;
  if (actor.role === "admin" || actor.role === "supervisor") return true;
  // A colleague who is merely writing can be taken over by anyone, with a confirmation. (Once
  // tickets have assignees, an agent will not take over an assignee's ticket.)
  return true;
}

/** The details a "locked" refusal carries. */
function lockedError(holder: ReplyHolder): ConflictError {
  return new ConflictError("Another agent is writing the reply", "locked", {
    holder: { id: holder.agentId, name: holder.name, reason: holder.reason },
    since: new Date(holder.since).toISOString(),
  });
}

/**
 * Starts (or keeps) writing the reply: the actor takes the free lock or refreshes their own. When
 * someone else holds it, nothing changes and the holder is returned — unless `takeOver`.
 */
export async function claimReply(
  ctx: OpContext,
  input: { ticketId: number; takeOver?: boolean },
): Promise<{ holder: ReplyHolder | null }> {
  if (ctx.actor.kind !== "agent") throw new Error("claimReply: only an agent writes replies");
  const holder = await replyHolder(ctx.tx, input.ticketId, ctx.now);
  if (holder && holder.agentId !== ctx.actor.id) {
    if (!input.takeOver) return { holder };
    await takeOver(ctx, input.ticketId, holder);
  } else if (!holder) {
    ctx.notify({ ticketId: input.ticketId });
  }
  await putReplyLock(ctx.tx, input.ticketId, ctx.actor.id, ctx.now);
  return { holder: null };
}

/**
 * Checked in the send's transaction: refuses with "locked" when someone else holds the reply and
 * the actor did not ask to take over; with `takeOver`, takes it (event, notice to the holder).
 */
export async function guardReplyLock(
  ctx: OpContext,
  input: { ticketId: number; takeOver?: boolean },
): Promise<void> {
  if (ctx.actor.kind !== "agent") return;
  const holder = await replyHolder(ctx.tx, input.ticketId, ctx.now);
  if (!holder || holder.agentId === ctx.actor.id) return;
  if (!input.takeOver) throw lockedError(holder);
  await takeOver(ctx, input.ticketId, holder);
}

/** Lets go of the reply (sent or discarded). */
export async function releaseReply(ctx: OpContext, ticketId: number): Promise<void> {
  if (ctx.actor.kind !== "agent") return;
  await releaseReplyLock(ctx.tx, ticketId, ctx.actor.id);
  ctx.notify({ ticketId });
}

async function takeOver(ctx: OpContext, ticketId: number, holder: ReplyHolder) {
  if (ctx.actor.kind !== "agent") return;
  if (!mayTakeOver(ctx.actor, holder)) throw new ForbiddenError("Cannot take over this reply");
  const data = { from: { id: holder.agentId, name: holder.name }, by: ctx.actor.name };
  await recordEvent(ctx.tx, {
    ticketId,
    agentId: ctx.actor.id,
    kind: REPLY_TAKEN_OVER,
    data,
    now: ctx.now,
  });
  await insertNotifications(ctx.tx, [holder.agentId], {
    ticketId,
    kind: REPLY_TAKEN_OVER,
    data: { by: ctx.actor.name },
    now: ctx.now,
  });
  await putReplyLock(ctx.tx, ticketId, ctx.actor.id, ctx.now);
  ctx.notify({ ticketId });
}
