/** Tags (admin-managed, with colours) and the tags on each ticket (migration 0012). */
import type { Db, Tx } from "./client.ts";

type Executor = Db | Tx;

export interface Tag {
  id: number;
  name: string;
  color: string;
}

/** Every tag, by name. */
export function listTags(db: Executor): Promise<Tag[]> {
  return db.selectFrom("tags").select(["id", "name", "color"]).orderBy("name").execute();
}

/** A tag by its name, or undefined. */
export function findTagByName(db: Executor, name: string): Promise<Tag | undefined> {
  return db.selectFrom("tags").select(["id", "name", "color"]).where("name", "=", name)
    .executeTakeFirst();
}

/** Creates a tag (or recolours one of the same name); returns it. */
export async function upsertTag(
  tx: Tx,
  t: { name: string; color: string },
  now: number,
): Promise<Tag> {
  return await tx.insertInto("tags").values({ name: t.name, color: t.color, created_at: now })
    .onConflict((oc) => oc.column("name").doUpdateSet({ color: t.color }))
    .returning(["id", "name", "color"]).executeTakeFirstOrThrow();
}

/** Deletes a tag and takes it off every ticket. */
export async function deleteTag(tx: Tx, id: number): Promise<void> {
  await tx.deleteFrom("ticket_tags").where("tag_id", "=", id).execute();
  await tx.deleteFrom("tags").where("id", "=", id).execute();
}

/** The tags on a ticket, by name. */
export function ticketTags(db: Executor, ticketId: number): Promise<Tag[]> {
  return db.selectFrom("ticket_tags").innerJoin("tags", "tags.id", "ticket_tags.tag_id")
    .select(["tags.id", "tags.name", "tags.color"]).where("ticket_tags.ticket_id", "=", ticketId)
    .orderBy("tags.name").execute();
}

/** Replaces a ticket's tags by ids. */
export async function replaceTicketTags(
  tx: Tx,
  ticketId: number,
  tagIds: readonly number[],
): Promise<void> {
  await tx.deleteFrom("ticket_tags").where("ticket_id", "=", ticketId).execute();
  if (tagIds.length === 0) return;
  await tx.insertInto("ticket_tags")
    .values([...new Set(tagIds)].map((tag_id) => ({ ticket_id: ticketId, tag_id }))).execute();
}
