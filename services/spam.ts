/**
 * 迷惑メール: inbound mail that scores as spam (domain/spam.ts) is filed as a ticket in the
 * spam folder (a reply to an existing ticket too: held in a ticket of its own, linked) — never dropped, never answered automatically, never counted as 未対応 — and an agent
 * can move it back ("迷惑メールではない"), which also allows its sender from then on. Admins keep
 * the allow/deny/keyword rules.
 */
import {
  deleteSpamRule,
  deleteSpamRulesFor,
  insertSpamRule,
  listSpamRules,
} from "../db/spam_rules.ts";
import { findTicket, updateTicketStatus } from "../db/tickets.ts";
import {
  findSpamReplyLink,
  markSpamReplyMoved,
  moveTicketMessages,
  type SpamReplyLink,
} from "../db/spam_reply_links.ts";
import type { AutoKind } from "../domain/inbound_message.ts";
import { statusAfterCustomerMessage } from "../domain/ticket_status.ts";
import { afterTicketChange } from "./after_change.ts";
import type { Tx } from "../db/client.ts";
import { ForbiddenError, NotFoundError, ValidationError } from "../domain/errors.ts";
import type { AuthVerdicts } from "../domain/mail_auth.ts";
import {
  normaliseRulePattern,
  scoreSpam,
  SPAM_RULE_KINDS,
  type SpamRuleKind,
  type SpamVerdict,
} from "../domain/spam.ts";
import type { OpContext } from "./context.ts";
import { changeStatus } from "./tickets.ts";

/** Scores an inbound mail (a new one or a reply) against the verdicts and the admins' rules. */
export async function classifyInbound(
  tx: Tx,
  mail: { sender: string; subject: string; text: string; auth: AuthVerdicts | null },
): Promise<SpamVerdict> {
  return scoreSpam(mail, await listSpamRules(tx));
}

function requireAgent(ctx: OpContext) {
  if (ctx.actor.kind !== "agent") throw new ForbiddenError("Only agents can do this");
  return ctx.actor;
}

function requireAdmin(ctx: OpContext) {
  const actor = requireAgent(ctx);
  if (actor.role !== "admin") throw new ForbiddenError("Only admins can change spam rules");
  return actor;
}

/**
 * "迷惑メールではない": back to 未対応, and the sender is allowed from now on. A held reply (a
 * reply to another ticket that scored as spam) goes into that ticket's thread instead, as if it
 * had joined it on arrival; the emptied spam ticket is left in 対応不要 pointing there. Returns
 * the ticket the mail is now on.
 */
export async function markNotSpam(
  ctx: OpContext,
  input: { ticketId: number },
): Promise<{ ticketId: number; ticketNumber: number }> {
  requireAgent(ctx);
  const ticket = await findTicket(ctx.tx, input.ticketId);
  if (!ticket) throw new NotFoundError("No such ticket");
  const link = await findSpamReplyLink(ctx.tx, ticket.id);
  if (ticket.status !== "spam") {
    return link?.movedAt
      ? { ticketId: link.targetTicketId, ticketNumber: link.targetNumber }
      : { ticketId: ticket.id, ticketNumber: ticket.number };
  }
  const pattern = normaliseRulePattern("allow", ticket.customerEmail);
  await deleteSpamRulesFor(ctx.tx, { kind: "deny", pattern });
  await insertSpamRule(ctx.tx, { kind: "allow", pattern, now: ctx.now });
  if (!link || link.movedAt !== null) {
    await changeStatus(ctx, { ticketId: ticket.id, status: "new", reason: "not_spam" });
    return { ticketId: ticket.id, ticketNumber: ticket.number };
  }
  await moveHeldReply(ctx, ticket.id, link);
  return { ticketId: link.targetTicketId, ticketNumber: link.targetNumber };
}

/** Moves a held reply into the thread it answers: counted, reopening, notifying, with its SLA. */
async function moveHeldReply(ctx: OpContext, spamTicketId: number, link: SpamReplyLink) {
  const { tx, now } = ctx;
  const target = await findTicket(tx, link.targetTicketId);
  if (!target) throw new NotFoundError("No such ticket");
  const moved = await moveTicketMessages(tx, {
    fromTicketId: spamTicketId,
    toTicketId: target.id,
    now,
  });
  await markSpamReplyMoved(tx, spamTicketId, now);
  const first = moved.find((m) => m.autoKind === "none") ?? moved[0];
  const autoKind = (first?.autoKind ?? "none") as AutoKind;
  const status = statusAfterCustomerMessage(target.status, autoKind);
  if (status !== target.status) await updateTicketStatus(tx, target.id, status, now);
  await afterTicketChange(ctx, {
    ticketId: target.id,
    status: { from: target.status, to: status },
    customerMessage: first && {
      departmentId: target.departmentId,
      messageId: first.id,
      from: first.from,
      autoKind,
      via: "mail",
    },
    event: {
      kind: "mail.joined",
      data: { via: "not_spam", fromTicket: spamTicketId, messages: moved.map((m) => m.id) },
    },
  });
  await updateTicketStatus(tx, spamTicketId, "no_action", now);
  await afterTicketChange(ctx, {
    ticketId: spamTicketId,
    status: { from: "spam", to: "no_action" },
    event: { kind: "spam.moved", data: { to: target.id, toNumber: target.number } },
  });
}

/** "迷惑メールにする": into the spam folder, and the sender is denied from now on. */
export async function markSpam(ctx: OpContext, input: { ticketId: number }): Promise<void> {
  requireAgent(ctx);
  const ticket = await findTicket(ctx.tx, input.ticketId);
  if (!ticket) throw new NotFoundError("No such ticket");
  if (ticket.status === "spam") return;
  const pattern = normaliseRulePattern("deny", ticket.customerEmail);
  await deleteSpamRulesFor(ctx.tx, { kind: "allow", pattern });
  await insertSpamRule(ctx.tx, { kind: "deny", pattern, now: ctx.now });
  await changeStatus(ctx, { ticketId: ticket.id, status: "spam", reason: "spam" });
}

/** Adds an admin rule. */
export async function addSpamRule(
  ctx: OpContext,
  input: { kind: string; pattern: string },
): Promise<void> {
  requireAdmin(ctx);
  if (!(SPAM_RULE_KINDS as readonly string[]).includes(input.kind)) {
    throw new ValidationError("Unknown rule kind", { kind: "unknown" });
  }
  const kind = input.kind as SpamRuleKind;
  const pattern = normaliseRulePattern(kind, input.pattern);
  const valid = kind === "keyword"
    ? pattern.length > 0 && pattern.length <= 200
    : /^([^\s@]+@)?[a-z0-9.-]+\.[a-z0-9-]+$/u.test(pattern) || /^[^\s@]+@[^\s@]+$/.test(pattern);
  if (!valid) throw new ValidationError("Invalid pattern", { pattern: "invalid" });
  await insertSpamRule(ctx.tx, { kind, pattern, now: ctx.now });
}

/** Removes an admin rule. */
export async function removeSpamRule(ctx: OpContext, input: { id: number }): Promise<void> {
  requireAdmin(ctx);
  if (!await deleteSpamRule(ctx.tx, input.id)) throw new NotFoundError("No such rule");
}
