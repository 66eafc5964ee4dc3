/** The reply lock row of a ticket: who writes its reply, since when, last seen (migration 0014). */
import type { Db, Tx } from "./client.ts";

export interface ReplyLock {
  ticketId: number;
  agentId: number;
  agentName: string;
  acquiredAt: number;
  seenAt: number;
}

/** The lock row of a ticket, stale or not, or undefined. */
export async function findReplyLock(db: Db | Tx, ticketId: number): Promise<ReplyLock | undefined> {
  return await db.selectFrom("reply_locks")
    .innerJoin("agents", "agents.id", "reply_locks.agent_id")
    .select([
      "reply_locks.ticket_id as ticketId",
      "reply_locks.agent_id as agentId",
      "agents.name as agentName",
      "reply_locks.acquired_at as acquiredAt",
      "reply_locks.seen_at as seenAt",
    ])
    .where("reply_locks.ticket_id", "=", ticketId).executeTakeFirst();
}

/** Gives the lock to `agentId` (a new holder starts now; the same holder is seen again). */
export async function putReplyLock(tx: Tx, ticketId: number, agentId: number, now: number) {
  await tx.insertInto("reply_locks").values({
    ticket_id: ticketId,
    agent_id: agentId,
    acquired_at: now,
    seen_at: now,
  }).onConflict((oc) =>
    oc.column("ticket_id").doUpdateSet((eb) => ({
      agent_id: agentId,
      seen_at: now,
      acquired_at: eb.case().when("reply_locks.agent_id", "=", agentId)
        .then(eb.ref("reply_locks.acquired_at")).else(now).end(),
    }))
  ).execute();
}

/** Releases the lock if `agentId` holds it. */
export async function releaseReplyLock(tx: Tx, ticketId: number, agentId: number) {
  await tx.deleteFrom("reply_locks").where("ticket_id", "=", ticketId)
    .where("agent_id", "=", agentId).execute();
}
