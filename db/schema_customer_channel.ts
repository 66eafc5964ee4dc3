/** Tables of the customer channel (migration 0002): inquiry forms, customer links, access keys. */
import type { Generated } from "kysely";

export interface DepartmentSettingsTable {
  department_id: number;
  /** The inquiry form's fields as JSON; "null" means the defaults. */
  form_json: Generated<string>;
  confirm_customer: Generated<number>;
  confirm_agents: Generated<number>;
  /** Agent ids notified of new inquiries; empty means every enabled agent. */
  notify_agent_ids_json: Generated<string>;
  /** Per-language template overrides for the confirmation mails. */
  templates_json: Generated<string>;
  updated_at: number;
}

export interface TicketAccessTable {
  ticket_id: number;
  /** SHA-256 hex of the normalized access key (an 80-bit random key, see domain/access_key.ts). */
  access_key_hash: string;
  /** The language the customer wrote in; their confirmation mails use it. */
  locale: Generated<string>;
  created_at: number;
  updated_at: number;
}

export interface CustomerLinkTable {
  id: Generated<number>;
  ticket_id: number;
  /** SHA-256 hex of the 256-bit link token; the token itself is only in the mail we sent. */
  token_hash: string;
  created_at: number;
  revoked_at: number | null;
}

export interface FormSubmissionTable {
  /** SHA-256 hex of the one-time form token: a second post of the same form finds this row. */
  nonce_hash: string;
  /** SHA-256 hex of the thank-you page id (inquiries only). */
  receipt_hash: string | null;
  ticket_id: number;
  message_id: number;
  created_at: number;
}

export interface AppSecretTable {
  name: string;
  value: string;
  created_at: number;
}

/** Merged into `Database` in schema.ts. */
export interface CustomerChannelTables {
  department_settings: DepartmentSettingsTable;
  ticket_access: TicketAccessTable;
  customer_links: CustomerLinkTable;
  form_submissions: FormSubmissionTable;
  app_secrets: AppSecretTable;
}
