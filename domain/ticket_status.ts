/** Ticket statuses, the folders agents see, and how events move a ticket between them. */
import type { AutoKind } from "./inbound_message.ts";

/** `spam` is the 迷惑メール folder: filed, never answered automatically, not 未対応. */
export const STATUSES = ["new", "open", "pending", "resolved", "no_action", "spam"] as const;
export type TicketStatus = typeof STATUSES[number];

/** Type guard for a status string from a form, the API or the database. */
export function isTicketStatus(s: unknown): s is TicketStatus {
  return typeof s === "string" && (STATUSES as readonly string[]).includes(s);
}

/** The status of a ticket created by an inbound mail: machine mail does not need an answer. */
export function statusForNewTicket(autoKind: AutoKind): TicketStatus {
  return autoKind === "none" ? "new" : "no_action";
}

/**
 * The status after a customer writes again. A person's reply to a waiting, resolved or dismissed
 * ticket needs attention again (未対応); a ticket an agent is working on stays 対応中. Auto-replies
 * and bounces change nothing, or an out-of-office would reopen every resolved ticket.
 */
export function statusAfterCustomerMessage(
  current: TicketStatus,
  autoKind: AutoKind,
): TicketStatus {
  // More mail on a spam ticket stays in the spam folder until an agent moves it back.
  if (autoKind !== "none" || current === "spam") return current;
  return current === "open" || current === "new" ? current : "new";
}

/** The default status after an agent replies: waiting on the customer. */
export const DEFAULT_STATUS_AFTER_REPLY: TicketStatus = "pending";
