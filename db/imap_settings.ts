/** The IMAP pull as configured on the admin page (one row; migration 0023). */
import type { Db, Tx } from "./client.ts";

export interface StoredImapSettings {
  host: string;
  port: number;
  tls: boolean;
  username: string;
  /** AES-GCM sealed (services/imap_settings.ts); never shown. */
  passwordSealed: string;
  folder: string;
  enabled: boolean;
  updatedAt: number;
}

export async function loadImapSettings(db: Db | Tx): Promise<StoredImapSettings | null> {
  const r = await db.selectFrom("imap_settings").selectAll().where("id", "=", 1)
    .executeTakeFirst();
  return r
    ? {
      host: r.host,
      port: r.port,
      tls: r.tls === 1,
      username: r.username,
      passwordSealed: r.password_sealed,
      folder: r.folder,
      enabled: r.enabled === 1,
      updatedAt: r.updated_at,
    }
    : null;
}

export async function saveImapSettings(tx: Tx, s: StoredImapSettings): Promise<void> {
  const row = {
    host: s.host,
    port: s.port,
    tls: s.tls ? 1 : 0,
    username: s.username,
    password_sealed: s.passwordSealed,
    folder: s.folder,
    enabled: s.enabled ? 1 : 0,
    updated_at: s.updatedAt,
  };
  await tx.insertInto("imap_settings").values({ id: 1, ...row })
    .onConflict((oc) => oc.column("id").doUpdateSet(row)).execute();
}
