/** Tables of reports (migrations 0017, 0022): per-ticket facts kept by triggers, and more. */
import type { Generated } from "kysely";

export interface TicketReportFactsTable {
  ticket_id: number;
  created_at: number;
  /** The first agent reply. */
  first_response_at: number | null;
  /** When the ticket last became resolved; null while it is not. */
  resolved_at: number | null;
  reopen_count: number;
  /** The agent who last replied. */
  last_agent_id: number | null;
  replies: number;
  /** The web form's category (its Japanese label), 0022; null: none chosen, or not a form. */
  category: Generated<string | null>;
}

/** Time an agent spent composing a reply (0022). */
export interface ReplyHandlingTable {
  id: Generated<number>;
  ticket_id: number;
  agent_id: number;
  /** The reply's message; null while it waits for approval. */
  message_id: number | null;
  opened_at: number;
  sent_at: number;
  seconds: number;
}

/** A supervisor's scheduled report mail (0022). */
export interface ReportSubscriptionTable {
  id: Generated<number>;
  agent_id: number;
  frequency: string;
  /** Local hour (team's zone) the mail goes out, 0–23. */
  send_hour: number;
  /** The report's filters (db/report_queries.ts ReportFilter) as JSON. */
  filter_json: Generated<string>;
  created_at: number;
}

/** One period of a subscription mailed (0022): the primary key makes it once. */
export interface ReportDeliveryTable {
  subscription_id: number;
  period_from: string;
  period_to: string;
  sent_at: number;
}

/** Merged into `Database` in schema.ts. */
export interface ReportTables {
  ticket_report_facts: TicketReportFactsTable;
  reply_handling: ReplyHandlingTable;
  report_subscriptions: ReportSubscriptionTable;
  report_deliveries: ReportDeliveryTable;
}
