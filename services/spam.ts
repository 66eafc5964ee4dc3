/**
 * 迷惑メール: new inbound mail that scores as spam (domain/spam.ts) is filed as a ticket in the
 * spam folder — never dropped, never answered automatically, never counted as 未対応 — and an agent
 * can move it back ("迷惑メールではない"), which also allows its sender from then on. Admins keep
 * the allow/deny/keyword rules.
 */
import {
  deleteSpamRule,
  deleteSpamRulesFor,
  insertSpamRule,
  listSpamRules,
} from "../db/spam_rules.ts";
import { findTicket } from "../db/tickets.ts";
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

/** Scores a new inbound mail against the verdicts and the admins' rules. */
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

/** "迷惑メールではない": back to 未対応, and the sender is allowed from now on. */
export async function markNotSpam(ctx: OpContext, input: { ticketId: number }): Promise<void> {
  requireAgent(ctx);
  const ticket = await findTicket(ctx.tx, input.ticketId);
  if (!ticket) throw new NotFoundError("No such ticket");
  if (ticket.status !== "spam") return;
  const pattern = normaliseRulePattern("allow", ticket.customerEmail);
  await deleteSpamRulesFor(ctx.tx, { kind: "deny", pattern });
  await insertSpamRule(ctx.tx, { kind: "allow", pattern, now: ctx.now });
  await changeStatus(ctx, { ticketId: ticket.id, status: "new", reason: "not_spam" });
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
