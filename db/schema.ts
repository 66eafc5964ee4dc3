/** The database as Kysely sees it. Instants are epoch milliseconds (UTC). */
import type { Generated } from "kysely";
import type { CustomerChannelTables } from "./schema_customer_channel.ts";
import type { SlaTables, TicketSlaColumns } from "./schema_sla.ts";
import type { AutomationTables } from "./schema_automation.ts";
import type { KnowledgeTables } from "./schema_knowledge.ts";
import type { ReportTables } from "./schema_reports.ts";
import type { MailopsTables } from "./schema_mailops.ts";
import type { ImportTables } from "./schema_import.ts";
import type { HygieneTables } from "./schema_hygiene.ts";
import type { TeamTables } from "./schema_team.ts";
import type { GuardTables } from "./schema_guard.ts";
import type { WorkspaceTables } from "./schema_workspace.ts";

export interface DepartmentTable {
  id: Generated<number>;
  name: string;
  slug: string;
  created_at: number;
  /** The business-hours schedule (migration 0005); null: open around the clock. */
  schedule_id: number | null;
  /** Outbound identity (0012); null: the configured one. */
  from_name: string | null;
  reply_address: string | null;
  signature: string | null;
  /** Automatic assignment of new tickets (domain/assignment.ts). */
  assignment: Generated<string>;
  first_receiver_id: number | null;
  prefer_last_agent: Generated<number>;
  round_robin_last: number | null;
  /** Every reply on this department's tickets waits for approval (0014). */
  requires_approval: Generated<number>;
  /** The first-N-replies approval rule for this department; null: the global (0021). */
  approval_first_replies: number | null;
}

export interface AgentTable {
  id: Generated<number>;
  email: string;
  name: string;
  password_hash: string;
  role: "admin" | "supervisor" | "agent";
  locale: Generated<string>;
  /** IANA zone for dates; null means config.timeZone. */
  time_zone: string | null;
  disabled: Generated<number>;
  created_at: number;
  /** Presence (0012): absent until absent_until (null: until they come back). */
  absent: Generated<number>;
  absent_until: number | null;
  /** Sees only the tickets of their departments (agent_departments). */
  restricted: Generated<number>;
  /** Seconds a reply waits in the outbox, cancellable (0014); 0: sent at once. */
  send_delay_seconds: Generated<number>;
  /** Every reply of this agent waits for approval (0014). */
  requires_approval: Generated<number>;
  /** Replies the agent queued, kept by triggers (0021). */
  replies_sent: Generated<number>;
  /** Appended to the agent's replies in the composer, editable there (0025). */
  signature: string | null;
}

export interface SessionTable {
  id_hash: string;
  agent_id: number;
  created_at: number;
  expires_at: number;
}

export interface ApiTokenTable {
  id: Generated<number>;
  agent_id: number;
  name: string;
  token_hash: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface CustomerTable {
  id: Generated<number>;
  email: string;
  name: string;
  created_at: number;
  updated_at: number;
}

export interface TicketTable extends TicketSlaColumns {
  id: Generated<number>;
  number: number;
  subject: string;
  status: string;
  customer_id: number;
  department_id: number;
  reply_token: string;
  channel: string;
  created_at: number;
  updated_at: number;
  last_message_at: number;
  message_count: Generated<number>;
  /** The agent who owns the ticket (0012); null: unassigned. */
  assignee_id: Generated<number | null>;
  /** Moves with every message, status, department or assignment change (0014, by trigger). */
  version: Generated<number>;
}

export interface RawMessageTable {
  id: Generated<number>;
  sha256: string;
  size: number;
  content: Uint8Array;
  /** "identity" or "gzip" (db/stored_bytes.ts). */
  content_encoding: Generated<string>;
  mail_from: string | null;
  rcpt_to: string;
  remote_address: string | null;
  received_at: number;
}

export interface MessageTable {
  id: Generated<number>;
  ticket_id: number;
  direction: "in" | "out" | "note";
  message_id: string | null;
  in_reply_to: string | null;
  references_json: Generated<string>;
  from_address: string;
  from_name: string;
  to_json: Generated<string>;
  cc_json: Generated<string>;
  subject: string;
  text_body: string;
  html_body: string | null;
  auto_kind: Generated<string>;
  raw_id: number | null;
  agent_id: number | null;
  created_at: number;
  /** html_body as the sanitizer of html_safe_version renders it; filled on first view (0010). */
  html_safe: string | null;
  html_safe_version: number | null;
  /** The ticket's version this message's insert produced (0014, by trigger). */
  ticket_version: Generated<number | null>;
  /** Our reply's Bcc (0025): in the envelope only, never in the sent headers. */
  bcc_json: Generated<string>;
  /** The whole text part's length when text_body keeps only its beginning (0029); else null. */
  text_full_chars: number | null;
  /** The whole HTML part's length when html_body keeps only its beginning (0029); else null. */
  html_full_chars: number | null;
}

/** Tickets per status and department, kept by triggers (migration 0010). */
export interface TicketCountTable {
  status: string;
  department_id: number;
  count: number;
}

export interface AttachmentTable {
  id: Generated<number>;
  message_id: number;
  filename: string;
  content_type: string;
  content_id: string | null;
  disposition: string;
  size: number;
  content: Uint8Array;
}

export interface QuarantineTable {
  id: Generated<number>;
  raw_id: number;
  reason: string;
  created_at: number;
  resolved_at: number | null;
  ticket_id: number | null;
}

export interface OutboxTable {
  id: Generated<number>;
  /** The message on its ticket; null for mail that belongs to no ticket (0013: invitations). */
  message_id: number | null;
  status: "queued" | "sending" | "sent" | "failed" | "held";
  envelope_from: string;
  envelope_to: string;
  raw: Uint8Array;
  /** "identity" or "gzip" (db/stored_bytes.ts). */
  raw_encoding: Generated<string>;
  attempts: Generated<number>;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
  /** The worker (process) sending it while status is "sending". */
  lease_owner: string | null;
  /** Until when that worker holds it; past this, any worker may take it over. */
  lease_until: number | null;
}

export interface EventTable {
  id: Generated<number>;
  ticket_id: number | null;
  agent_id: number | null;
  kind: string;
  data_json: Generated<string>;
  created_at: number;
}

export interface TimerTable {
  id: Generated<number>;
  kind: string;
  ticket_id: number | null;
  key: Generated<string>;
  due_at: number;
  fired_at: number | null;
  data_json: Generated<string>;
  created_at: number;
}

/** Addresses that bounced hard (migration 0011): no automatic mail until `until`. */
export interface SuppressedAddressTable {
  /** Lower case. */
  address: string;
  reason: string;
  until: number;
  created_at: number;
}

/** An agent's unsent reply on a ticket, saved as they type (0014). */
export interface ReplyDraftTable {
  ticket_id: number;
  agent_id: number;
  text: string;
  /** The ticket version the draft was written against. */
  version: number;
  updated_at: number;
}

/** Who is writing the reply on a ticket (0014); stale once `seen_at` is old. */
export interface ReplyLockTable {
  ticket_id: number;
  agent_id: number;
  acquired_at: number;
  seen_at: number;
}

/** A reply waiting for (or decided by) a supervisor (0014). */
export interface ApprovalRequestTable {
  id: Generated<number>;
  ticket_id: number;
  agent_id: number;
  text: string;
  /** The ticket status the reply sets once sent. */
  reply_status: string;
  reasons_json: Generated<string>;
  status: Generated<"pending" | "returned" | "approved">;
  comment: string | null;
  /** The text as approved, when the approver edited it. */
  approved_text: string | null;
  decided_by: number | null;
  decided_at: number | null;
  /** The mail's message, once approved. */
  message_id: number | null;
  created_at: number;
  /** `{to, cc, bcc}` chosen in the composer (0025); null: reply-all when approved. */
  recipients_json: string | null;
}

/** Files an approval request will send (0025). */
export interface ApprovalAttachmentTable {
  id: Generated<number>;
  approval_id: number;
  filename: string;
  content_type: string;
  size: number;
  content: Uint8Array;
}

export interface Database
  extends
    CustomerChannelTables,
    SlaTables,
    AutomationTables,
    KnowledgeTables,
    ReportTables,
    MailopsTables,
    ImportTables,
    HygieneTables,
    TeamTables,
    GuardTables,
    WorkspaceTables {
  departments: DepartmentTable;
  agents: AgentTable;
  sessions: SessionTable;
  api_tokens: ApiTokenTable;
  customers: CustomerTable;
  tickets: TicketTable;
  ticket_counts: TicketCountTable;
  raw_messages: RawMessageTable;
  messages: MessageTable;
  attachments: AttachmentTable;
  quarantine: QuarantineTable;
  outbox: OutboxTable;
  events: EventTable;
  timers: TimerTable;
  suppressed_addresses: SuppressedAddressTable;
  health_probe: HealthProbeTable;
  reply_drafts: ReplyDraftTable;
  reply_locks: ReplyLockTable;
  approval_requests: ApprovalRequestTable;
  approval_attachments: ApprovalAttachmentTable;
}

/** One row, rewritten by /healthz's write probe. */
export interface HealthProbeTable {
  id: number;
  checked_at: number;
}
