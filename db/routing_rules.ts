/** Routing rules (migration 0020): ordered by position, conditions and actions kept as JSON. */
import type { Db, Tx } from "./client.ts";
import type { RoutingActions, RoutingConditions, RoutingRule } from "../domain/routing_rules.ts";

type Executor = Db | Tx;

export interface RoutingRuleRecord extends RoutingRule {
  position: number;
  updatedAt: number;
}

function toRule(r: {
  id: number;
  name: string;
  position: number;
  enabled: number;
  conditions_json: string;
  actions_json: string;
  updated_at: number;
}): RoutingRuleRecord {
  return {
    id: r.id,
    name: r.name,
    position: r.position,
    enabled: r.enabled === 1,
    conditions: JSON.parse(r.conditions_json) as RoutingConditions,
    actions: JSON.parse(r.actions_json) as RoutingActions,
    updatedAt: r.updated_at,
  };
}

const COLUMNS = [
  "id",
  "name",
  "position",
  "enabled",
  "conditions_json",
  "actions_json",
  "updated_at",
] as const;

/** Every rule in evaluation order. */
export async function listRoutingRules(db: Executor): Promise<RoutingRuleRecord[]> {
  const rows = await db.selectFrom("routing_rules").select(COLUMNS).orderBy("position")
    .orderBy("id").execute();
  return rows.map(toRule);
}

/** One rule, or undefined. */
export async function findRoutingRule(
  db: Executor,
  id: number,
): Promise<RoutingRuleRecord | undefined> {
  const row = await db.selectFrom("routing_rules").select(COLUMNS).where("id", "=", id)
    .executeTakeFirst();
  return row && toRule(row);
}

export interface RoutingRuleFields {
  name: string;
  enabled: boolean;
  conditions: RoutingConditions;
  actions: RoutingActions;
}

/** Adds a rule at the end of the list; returns its id. */
export async function insertRoutingRule(
  tx: Tx,
  f: RoutingRuleFields,
  now: number,
): Promise<number> {
  const { last } = await tx.selectFrom("routing_rules")
    .select((eb) => eb.fn.max<number | null>("position").as("last")).executeTakeFirstOrThrow();
  const { id } = await tx.insertInto("routing_rules").values({
    name: f.name,
    position: (last ?? 0) + 1,
    enabled: f.enabled ? 1 : 0,
    conditions_json: JSON.stringify(f.conditions),
    actions_json: JSON.stringify(f.actions),
    created_at: now,
    updated_at: now,
  }).returning("id").executeTakeFirstOrThrow();
  return id;
}

/** Changes a rule's fields (not its place). */
export async function updateRoutingRule(
  tx: Tx,
  id: number,
  f: Partial<RoutingRuleFields>,
  now: number,
): Promise<void> {
  await tx.updateTable("routing_rules").set({
    ...(f.name === undefined ? {} : { name: f.name }),
    ...(f.enabled === undefined ? {} : { enabled: f.enabled ? 1 : 0 }),
    ...(f.conditions === undefined ? {} : { conditions_json: JSON.stringify(f.conditions) }),
    ...(f.actions === undefined ? {} : { actions_json: JSON.stringify(f.actions) }),
    updated_at: now,
  }).where("id", "=", id).execute();
}

/** Writes the order: the ids given first, in that order, then any others as they were. */
export async function reorderRoutingRules(tx: Tx, ids: readonly number[]): Promise<void> {
  const current = (await listRoutingRules(tx)).map((r) => r.id);
  const order = [
    ...ids.filter((id) => current.includes(id)),
    ...current.filter((id) => !ids.includes(id)),
  ];
  for (const [i, id] of order.entries()) {
    await tx.updateTable("routing_rules").set({ position: i + 1 }).where("id", "=", id).execute();
  }
}

/** Deletes a rule. */
export async function deleteRoutingRule(tx: Tx, id: number): Promise<boolean> {
  const r = await tx.deleteFrom("routing_rules").where("id", "=", id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
