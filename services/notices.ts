/**
 * When a customer writes back on a ticket (from their page or by mail), the agents who should
 * answer get an in-app notification, in the transaction that files the reply: the agent who last
 * replied on the ticket (the SLA escalation's "assignee"), or, when no agent has replied yet or
 * that agent is disabled, the department's notified agents (everyone when none are chosen).
 * Automatic mail (auto-replies, bounces, bulk) notifies nobody, and the writer is never notified
 * even when their address belongs to an agent.
 */
import type { Tx } from "../db/client.ts";
import { escalationRecipients } from "../db/escalations.ts";
import { insertNotifications } from "../db/notifications.ts";
import type { AutoKind } from "../domain/inbound_message.ts";

export const CUSTOMER_REPLIED = "customer.replied";

export interface CustomerReplyNotice {
  ticketId: number;
  departmentId: number;
  messageId: number;
  /** The address the reply came from. */
  from: string;
  autoKind: AutoKind;
  via: "web" | "mail";
  now: number;
}

/** Notifies the agents who should answer a customer's reply; returns their ids. */
export async function notifyCustomerReply(tx: Tx, n: CustomerReplyNotice): Promise<number[]> {
  if (n.autoKind !== "none") return [];
  const ticket = { id: n.ticketId, departmentId: n.departmentId };
  let agents = await escalationRecipients(tx, ticket, ["assignee"]);
  if (agents.length === 0) agents = await escalationRecipients(tx, ticket, ["department"]);
  const from = n.from.toLowerCase();
  const ids = agents.filter((a) => a.email.toLowerCase() !== from).map((a) => a.id);
  await insertNotifications(tx, ids, {
    ticketId: n.ticketId,
    kind: CUSTOMER_REPLIED,
    data: { via: n.via, messageId: n.messageId },
    now: n.now,
  });
  return ids;
}
