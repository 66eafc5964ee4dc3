/**
 * Which import job each imported raw message came from (migration 0023): mail an import put in
 * quarantine keeps its job and its place in the source, and is listed with the job.
 */
import type { Db, Tx } from "./client.ts";

export async function recordImportedRaw(
  tx: Tx,
  r: { rawId: number; jobId: number; where: string },
): Promise<void> {
  await tx.insertInto("imported_raw").values({
    raw_id: r.rawId,
    job_id: r.jobId,
    where_in_source: r.where,
  }).onConflict((oc) => oc.column("raw_id").doNothing()).execute();
}

export interface ImportedQuarantine {
  quarantineId: number;
  rawId: number;
  where: string;
  reason: string;
  resolved: boolean;
}

/** The quarantined mail of an import job (oldest first, at most `limit`). */
export async function quarantinedByImport(
  db: Db | Tx,
  jobId: number,
  limit = 100,
): Promise<ImportedQuarantine[]> {
  const rows = await db.selectFrom("imported_raw")
    .innerJoin("quarantine", "quarantine.raw_id", "imported_raw.raw_id")
    .select([
      "quarantine.id as quarantineId",
      "imported_raw.raw_id as rawId",
      "imported_raw.where_in_source as where",
      "quarantine.reason as reason",
      "quarantine.resolved_at as resolvedAt",
    ])
    .where("imported_raw.job_id", "=", jobId)
    .orderBy("imported_raw.raw_id").limit(limit).execute();
  return rows.map((r) => ({
    quarantineId: r.quarantineId,
    rawId: r.rawId,
    where: r.where,
    reason: r.reason,
    resolved: r.resolvedAt !== null,
  }));
}

/** The import job a raw message came from, with its place in the source, or null. */
export async function importOfRaw(
  db: Db | Tx,
  rawId: number,
): Promise<{ jobId: number; where: string } | null> {
  const r = await db.selectFrom("imported_raw").select(["job_id", "where_in_source"])
    .where("raw_id", "=", rawId).executeTakeFirst();
  return r ? { jobId: r.job_id, where: r.where_in_source } : null;
}
