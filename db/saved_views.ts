/** Saved inbox views (migration 0012): a name and the inbox's query string, personal or shared. */
import type { Db, Tx } from "./client.ts";

export interface SavedView {
  id: number;
  agentId: number;
  name: string;
  shared: boolean;
  /** The inbox query string the view opens (status, assignee, department, tag, priority, sort). */
  query: string;
}

/** An agent's own views and every shared one, by name. */
export async function listSavedViews(db: Db | Tx, agentId: number): Promise<SavedView[]> {
  const rows = await db.selectFrom("saved_views")
    .select(["id", "agent_id as agentId", "name", "shared", "filters_json as query"])
    .where((eb) => eb.or([eb("agent_id", "=", agentId), eb("shared", "=", 1)]))
    .orderBy("name").orderBy("id").execute();
  return rows.map((r) => ({ ...r, shared: r.shared === 1, query: JSON.parse(r.query) }));
}

/** Saves a view; returns its id. */
export async function insertSavedView(
  tx: Tx,
  v: { agentId: number; name: string; shared: boolean; query: string },
  now: number,
): Promise<number> {
  const { id } = await tx.insertInto("saved_views").values({
    agent_id: v.agentId,
    name: v.name,
    shared: v.shared ? 1 : 0,
    filters_json: JSON.stringify(v.query),
    created_at: now,
  }).returning("id").executeTakeFirstOrThrow();
  return id;
}

/** A view by id, or undefined. */
export async function findSavedView(db: Db | Tx, id: number) {
  return await db.selectFrom("saved_views").select(["id", "agent_id as agentId", "shared"])
    .where("id", "=", id).executeTakeFirst();
}

/** Deletes a view. */
export async function deleteSavedView(tx: Tx, id: number): Promise<void> {
  await tx.deleteFrom("saved_views").where("id", "=", id).execute();
}
