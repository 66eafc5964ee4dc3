/** Database health for /healthz: can we read, and can we still commit a write. */
import { sql } from "kysely";
import type { Db, Tx } from "./client.ts";

/** Runs a trivial read; rejects when the database does not answer. */
export async function checkDatabaseReads(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}

/**
 * A one-row upsert for the caller to commit through the writer queue: its commit fails when the
 * database cannot be written (a full disk, a lock held past the busy timeout) — reads alone would
 * still look fine.
 */
export async function probeDatabaseWrite(tx: Tx, now: number): Promise<void> {
  await tx.insertInto("health_probe").values({ id: 1, checked_at: now })
    .onConflict((oc) => oc.column("id").doUpdateSet({ checked_at: now })).execute();
}
