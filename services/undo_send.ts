/**
 * Send delay (送信取消): with a delay set, an agent's reply waits in the outbox for that many
 * seconds; until then its author (or an admin) can cancel it from the ticket. The cancel removes
 * the mail and its message, puts the text back as the author's draft, returns the ticket to the
 * status it had, and records `reply.cancelled`. After the delay the outbox sends as always.
 */
import { findTicket, updateTicketStatus } from "../db/tickets.ts";
import { deleteHeldReply, findHeldReply, updateSendDelay } from "../db/send_delay.ts";
import { saveReplyDraft } from "../db/reply_drafts.ts";
import { ticketVersion } from "../db/ticket_versions.ts";
import { ConflictError, ForbiddenError, NotFoundError } from "../domain/errors.ts";
import { isTicketStatus } from "../domain/ticket_status.ts";
import type { OpContext } from "./context.ts";
import { afterTicketChange } from "./after_change.ts";

export const REPLY_CANCELLED = "reply.cancelled";

/** Cancels a reply still held by its send delay; ConflictError "too_late" once it is out. */
export async function cancelReply(
  ctx: OpContext,
  input: { ticketId: number; messageId: number },
): Promise<void> {
  const { tx, now, actor } = ctx;
  if (actor.kind !== "agent") throw new ForbiddenError("Only agents cancel replies");
  const message = await tx.selectFrom("messages")
    .select(["id", "ticket_id", "agent_id", "text_body", "direction"])
    .where("id", "=", input.messageId).executeTakeFirst();
  if (!message || message.ticket_id !== input.ticketId || message.direction !== "out") {
    throw new NotFoundError("No such reply");
  }
  if (message.agent_id !== actor.id && actor.role !== "admin") {
    throw new ForbiddenError("Only the author cancels a reply");
  }
  const held = await findHeldReply(tx, message.id, now);
  if (!held) throw new ConflictError("The reply has already gone out", "too_late");
  const queuedEvent = await tx.selectFrom("events").select("data_json")
    .where("ticket_id", "=", input.ticketId).where("kind", "=", "reply.queued")
    .orderBy("id", "desc").limit(20).execute();
  const data = queuedEvent.map((e) => JSON.parse(e.data_json) as Record<string, unknown>)
    .find((d) => d.messageId === message.id);
  const ticket = await findTicket(tx, input.ticketId);
  if (!ticket) throw new NotFoundError("No such ticket");
  await deleteHeldReply(tx, {
    outboxId: held.outboxId,
    messageId: message.id,
    ticketId: ticket.id,
  });
  const before = typeof data?.from === "string" && isTicketStatus(data.from) ? data.from : null;
  if (before && before !== ticket.status) await updateTicketStatus(tx, ticket.id, before, now);
  // Back in the author's hands, against the version they now see.
  await saveReplyDraft(tx, {
    ticketId: ticket.id,
    agentId: message.agent_id ?? actor.id,
    text: message.text_body,
    version: await ticketVersion(tx, ticket.id) ?? 0,
    now,
  });
  await afterTicketChange(ctx, {
    ticketId: ticket.id,
    status: before ? { from: ticket.status, to: before } : undefined,
    event: { kind: REPLY_CANCELLED, data: { messageId: message.id } },
  });
}

/** Sets the acting agent's own send delay (seconds; 0 turns it off). */
export async function setSendDelay(ctx: OpContext, seconds: number): Promise<void> {
  if (ctx.actor.kind !== "agent") throw new ForbiddenError("Only agents have a send delay");
  await updateSendDelay(ctx.tx, ctx.actor.id, seconds);
}
