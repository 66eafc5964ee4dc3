/** Tables of reports (migration 0017): per-ticket facts kept by triggers. */

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
}

/** Merged into `Database` in schema.ts. */
export interface ReportTables {
  ticket_report_facts: TicketReportFactsTable;
}
