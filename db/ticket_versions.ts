/** What changed on a ticket since a version (the stale-send guard, migration 0014). */
import type { Db, Tx } from "./client.ts";

/** A message inserted after a version, as the stale-send refusal shows it. */
export interface MessageSince {
  id: number;
  direction: "in" | "out" | "note";
  fromName: string;
  fromAddress: string;
  text: string;
  autoKind: string;
  agentId: number | null;
  createdAt: number;
  ticketVersion: number;
}

/** Messages whose insert moved the ticket past `version`, oldest first. */
export async function messagesSinceVersion(
  db: Db | Tx,
  ticketId: number,
  version: number,
): Promise<MessageSince[]> {
  const rows = await db.selectFrom("messages")
    .select([
      "id",
      "direction",
      "from_name as fromName",
      "from_address as fromAddress",
      "text_body as text",
      "auto_kind as autoKind",
      "agent_id as agentId",
      "created_at as createdAt",
      "ticket_version as ticketVersion",
    ])
    .where("ticket_id", "=", ticketId)
    .where("ticket_version", ">", version)
    .orderBy("id").execute();
  return rows.map((r) => ({ ...r, ticketVersion: r.ticketVersion ?? 0 }));
}

/** The ticket's current version, or undefined when there is no such ticket. */
export async function ticketVersion(db: Db | Tx, ticketId: number): Promise<number | undefined> {
  const row = await db.selectFrom("tickets").select("version").where("id", "=", ticketId)
    .executeTakeFirst();
  return row?.version;
}
