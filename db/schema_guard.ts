/** Tables of migration 0021: shared presence, the live change feed, the first-N approval rule. */
import type { Generated } from "kysely";

/** Who views or writes a ticket; ignored once `expires_at` passed. */
export interface PresenceTable {
  ticket_id: number;
  agent_id: number;
  state: "viewing" | "writing";
  expires_at: number;
}

/** "Ticket N changed" (kind "ticket") or "who is on it changed" (kind "presence"), by id. */
export interface LiveChangeTable {
  id: Generated<number>;
  ticket_id: number;
  kind: Generated<"ticket" | "presence">;
  created_at: number;
}

/** One row (id 1): replies of an agent with fewer than `first_replies` sent need approval. */
export interface ApprovalSettingsTable {
  id: number;
  first_replies: number;
}

export interface GuardTables {
  presence: PresenceTable;
  live_changes: LiveChangeTable;
  approval_settings: ApprovalSettingsTable;
}
