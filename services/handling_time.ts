/**
 * Handling time: how long an agent spent composing a reply, from the reply form's render (its
 * signed stamp, domain/report/compose_stamp.ts) to its send. Recorded in the reply's transaction;
 * a replayed form (the same stamp sent twice) counts once.
 */
import type { Db } from "../db/client.ts";
import { findAppSecret } from "../db/app_secrets.ts";
import { formTokenKey } from "../domain/form_token.ts";
import { composeTime, issueComposeStamp } from "../domain/report/compose_stamp.ts";
import type { OpContext } from "./context.ts";

const SECRET = "compose_stamp";
const keys = new Map<string, Promise<CryptoKey>>();

/** The signing key of this database (imported once per secret); null before migration 0022. */
async function stampKey(db: Db): Promise<CryptoKey | null> {
  const secret = await findAppSecret(db, SECRET);
  if (!secret) return null;
  let key = keys.get(secret);
  if (!key) keys.set(secret, key = formTokenKey(secret));
  return await key;
}

/**
 * The stamp the reply form carries: `posted` again when it is valid for this agent and ticket
 * (a form shown again after a refused send keeps its opening time), else a new one for `now`.
 */
export async function composeStampFor(
  db: Db,
  s: { agentId: number; ticketId: number; now: number; posted?: string },
): Promise<string | undefined> {
  const key = await stampKey(db);
  if (!key) return undefined;
  if (s.posted && await composeTime(key, s.posted, s)) return s.posted;
  return await issueComposeStamp(key, s);
}

/** Records the acting agent's composing time of a reply (nothing without a valid stamp). */
export async function recordHandlingTime(
  ctx: OpContext,
  input: { ticketId: number; messageId: number | null; stamp?: string },
): Promise<void> {
  if (ctx.actor.kind !== "agent" || !input.stamp) return;
  const key = await stampKey(ctx.tx);
  if (!key) return;
  const s = { agentId: ctx.actor.id, ticketId: input.ticketId, now: ctx.now };
  const time = await composeTime(key, input.stamp, s);
  if (!time) return;
  await ctx.tx.insertInto("reply_handling").values({
    ticket_id: input.ticketId,
    agent_id: ctx.actor.id,
    message_id: input.messageId,
    opened_at: time.openedAt,
    sent_at: ctx.now,
    seconds: time.seconds,
  }).onConflict((oc) => oc.doNothing()).execute();
}
