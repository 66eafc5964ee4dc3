/** The log of capped automatic mail (domain/auto_mail_cap.ts): what went to whom, and when. */
import { sql } from "kysely";
import type { Db, Tx } from "./client.ts";

/** How many automatic mails went out since `since`: to the mailbox (of this kind), its domain, all. */
export async function countAutoMail(
  db: Db | Tx,
  q: { kind: string; mailbox: string; domain: string; since: number; perAddressSince: number },
): Promise<{ toAddress: number; toDomain: number; total: number }> {
  const count = sql<number>`count(*)`.as("n");
  const toAddress = await db.selectFrom("auto_mail_log").select(count)
    .where("mailbox", "=", q.mailbox).where("kind", "=", q.kind)
    .where("sent_at", ">=", q.perAddressSince).executeTakeFirstOrThrow();
  const toDomain = await db.selectFrom("auto_mail_log").select(count)
    .where("domain", "=", q.domain).where("sent_at", ">=", q.since).executeTakeFirstOrThrow();
  const total = await db.selectFrom("auto_mail_log").select(count)
    .where("sent_at", ">=", q.since).executeTakeFirstOrThrow();
  return { toAddress: toAddress.n, toDomain: toDomain.n, total: total.n };
}

/** Notes one automatic mail. */
export async function recordAutoMail(
  tx: Tx,
  m: { kind: string; mailbox: string; domain: string; now: number },
): Promise<void> {
  await tx.insertInto("auto_mail_log")
    .values({ kind: m.kind, mailbox: m.mailbox, domain: m.domain, sent_at: m.now }).execute();
}

/** Entries older than `before` (they no longer limit anything). */
export async function pruneAutoMailLog(tx: Tx, before: number, limit: number): Promise<number> {
  const r = await tx.deleteFrom("auto_mail_log").where(
    "id",
    "in",
    tx.selectFrom("auto_mail_log").select("id").where("sent_at", "<", before).limit(limit),
  ).executeTakeFirst();
  return Number(r.numDeletedRows);
}
