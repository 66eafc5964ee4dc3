/** What the reply composer reads besides the ticket: signatures, our own addresses, bounces. */
import type { Db, Tx } from "./client.ts";

type Executor = Db | Tx;

/** The agent's own signature, or null. */
export async function findAgentSignature(db: Executor, agentId: number): Promise<string | null> {
  const row = await db.selectFrom("agents").select("signature").where("id", "=", agentId)
    .executeTakeFirst();
  return row?.signature ?? null;
}

/** Sets (or with null clears) the agent's own signature. */
export async function updateAgentSignature(
  tx: Tx,
  agentId: number,
  signature: string | null,
): Promise<void> {
  await tx.updateTable("agents").set({ signature }).where("id", "=", agentId).execute();
}

/** Addresses of ours outside the mail domains: departments' addresses and reply addresses. */
export async function listOwnAddresses(db: Executor): Promise<string[]> {
  const [received, replies] = await Promise.all([
    db.selectFrom("department_addresses").select("address").execute(),
    db.selectFrom("departments").select("reply_address").where("reply_address", "is not", null)
      .execute(),
  ]);
  return [
    ...received.map((r) => r.address.toLowerCase()),
    ...replies.map((r) => r.reply_address!.toLowerCase()),
  ];
}

/** Which of these addresses bounced hard and are paused now (lower case). */
export async function suppressedAmong(
  db: Executor,
  addresses: readonly string[],
  now: number,
): Promise<Set<string>> {
  if (addresses.length === 0) return new Set();
  const rows = await db.selectFrom("suppressed_addresses").select("address")
    .where("address", "in", addresses.map((a) => a.toLowerCase()).slice(0, 500))
    .where("until", ">", now).execute();
  return new Set(rows.map((r) => r.address));
}
