/** Scheduled report mail (migration 0022): subscriptions and the periods already mailed. */
import type { Db, Tx } from "./client.ts";
import type { ReportFilter } from "./report_queries.ts";

export interface ReportSubscription {
  id: number;
  agentId: number;
  frequency: string;
  /** Local hour in the team's zone, 0–23. */
  sendHour: number;
  filter: ReportFilter;
  createdAt: number;
}

function toSubscription(r: {
  id: number;
  agent_id: number;
  frequency: string;
  send_hour: number;
  filter_json: string;
  created_at: number;
}): ReportSubscription {
  let filter: ReportFilter = {};
  try {
    filter = JSON.parse(r.filter_json) as ReportFilter;
  } catch {
    // An unreadable filter reports on everything rather than never.
  }
  return {
    id: r.id,
    agentId: r.agent_id,
    frequency: r.frequency,
    sendHour: r.send_hour,
    filter,
    createdAt: r.created_at,
  };
}

/** Stores a subscription; returns its id. */
export async function insertReportSubscription(
  tx: Tx,
  s: { agentId: number; frequency: string; sendHour: number; filter: ReportFilter; now: number },
): Promise<number> {
  const row = await tx.insertInto("report_subscriptions").values({
    agent_id: s.agentId,
    frequency: s.frequency,
    send_hour: s.sendHour,
    filter_json: JSON.stringify(s.filter),
    created_at: s.now,
  }).returning("id").executeTakeFirstOrThrow();
  return row.id;
}

/** One subscription, or undefined. */
export async function findReportSubscription(
  db: Db,
  id: number,
): Promise<ReportSubscription | undefined> {
  const row = await db.selectFrom("report_subscriptions").selectAll().where("id", "=", id)
    .executeTakeFirst();
  return row && toSubscription(row);
}

/** An agent's subscriptions, oldest first. */
export async function listReportSubscriptions(
  db: Db,
  agentId: number,
): Promise<ReportSubscription[]> {
  const rows = await db.selectFrom("report_subscriptions").selectAll()
    .where("agent_id", "=", agentId).orderBy("id").execute();
  return rows.map(toSubscription);
}

/** Deletes a subscription and its delivery records. */
export async function deleteReportSubscription(tx: Tx, id: number): Promise<void> {
  await tx.deleteFrom("report_deliveries").where("subscription_id", "=", id).execute();
  await tx.deleteFrom("report_subscriptions").where("id", "=", id).execute();
}

/**
 * Records that a subscription's period is being mailed; false when it already was (the primary
 * key decides, in the transaction that queues the mail).
 */
export async function claimReportDelivery(
  tx: Tx,
  d: { subscriptionId: number; from: string; to: string; now: number },
): Promise<boolean> {
  const r = await tx.insertInto("report_deliveries").values({
    subscription_id: d.subscriptionId,
    period_from: d.from,
    period_to: d.to,
    sent_at: d.now,
  }).onConflict((oc) => oc.doNothing()).returning("subscription_id").executeTakeFirst();
  return r !== undefined;
}
