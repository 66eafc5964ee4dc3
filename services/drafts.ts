/**
 * Reply drafts saved on the server as the agent types: they survive reloads and show to
 * colleagues ("下書きあり (山田)"). Saving a draft is writing the reply, so it claims the reply
 * lock (services/reply_lock.ts); an empty draft is a discarded one.
 */
import { deleteReplyDraft, saveReplyDraft } from "../db/reply_drafts.ts";
import { ticketVersion } from "../db/ticket_versions.ts";
import { NotFoundError, ValidationError } from "../domain/errors.ts";
import type { OpContext } from "./context.ts";
import { claimReply, releaseReply, type ReplyHolder } from "./reply_lock.ts";

/** A draft is a reply: the same limit. */
const MAX_DRAFT = 1_000_000;

/** Saves the acting agent's draft; returns who else holds the reply, if someone does. */
export async function saveDraft(
  ctx: OpContext,
  input: { ticketId: number; text: string; version: number },
): Promise<{ holder: ReplyHolder | null }> {
  if (ctx.actor.kind !== "agent") throw new Error("saveDraft: only an agent writes drafts");
  if (input.text.length > MAX_DRAFT) {
    throw new ValidationError("The draft is too long", { text: "too long" });
  }
  if (await ticketVersion(ctx.tx, input.ticketId) === undefined) {
    throw new NotFoundError("No such ticket");
  }
  if (!input.text.trim()) {
    await discardDraft(ctx, input.ticketId);
    return { holder: null };
  }
  await saveReplyDraft(ctx.tx, {
    ticketId: input.ticketId,
    agentId: ctx.actor.id,
    text: input.text,
    version: input.version,
    now: ctx.now,
  });
  return await claimReply(ctx, { ticketId: input.ticketId });
}

/** Drops the acting agent's draft and lets go of the reply. */
export async function discardDraft(ctx: OpContext, ticketId: number): Promise<void> {
  if (ctx.actor.kind !== "agent") return;
  if (await deleteReplyDraft(ctx.tx, ticketId, ctx.actor.id)) ctx.notify({ ticketId });
  await releaseReply(ctx, ticketId);
}
