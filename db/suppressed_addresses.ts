/** Addresses automatic mail must not go to for a while (they bounced hard). */
import type { Db, Tx } from "./client.ts";

/** Pauses automatic mail to an address until `until` (a later bounce extends it). */
export async function suppressAddress(
  tx: Tx,
  s: { address: string; reason: string; until: number; now: number },
): Promise<void> {
  await tx.insertInto("suppressed_addresses").values({
    address: s.address.toLowerCase(),
    reason: s.reason,
    until: s.until,
    created_at: s.now,
  }).onConflict((oc) => oc.column("address").doUpdateSet({ reason: s.reason, until: s.until }))
    .execute();
}

/** The reason automatic mail to one of these addresses is paused now, or null. */
export async function suppressionReason(
  db: Db | Tx,
  addresses: string[],
  now: number,
): Promise<string | null> {
  if (addresses.length === 0) return null;
  const row = await db.selectFrom("suppressed_addresses").select(["address", "reason"])
    .where("address", "in", addresses.map((a) => a.toLowerCase()))
    .where("until", ">", now).limit(1).executeTakeFirst();
  return row ? `${row.address}: ${row.reason}` : null;
}
