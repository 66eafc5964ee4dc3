/** Tables of the team (migration 0012): departments of agents, invitations, addresses, tags, views. */
import type { Generated } from "kysely";

export interface AgentDepartmentTable {
  agent_id: number;
  department_id: number;
}

export interface AgentInvitationTable {
  token_hash: string;
  agent_id: number;
  expires_at: number;
  used_at: number | null;
  created_at: number;
}

export interface DepartmentAddressTable {
  /** Lower case. */
  address: string;
  department_id: number;
}

export interface TagTable {
  id: Generated<number>;
  name: string;
  /** `#rrggbb`. */
  color: string;
  created_at: number;
}

export interface TicketTagTable {
  ticket_id: number;
  tag_id: number;
}

export interface SavedViewTable {
  id: Generated<number>;
  agent_id: number;
  name: string;
  shared: Generated<number>;
  filters_json: string;
  created_at: number;
}

export interface RoutingRuleTable {
  id: Generated<number>;
  name: string;
  position: number;
  enabled: Generated<number>;
  /** domain/routing_rules.ts RoutingConditions. */
  conditions_json: string;
  /** domain/routing_rules.ts RoutingActions. */
  actions_json: string;
  created_at: number;
  updated_at: number;
}

export interface TeamTables {
  routing_rules: RoutingRuleTable;
  agent_departments: AgentDepartmentTable;
  agent_invitations: AgentInvitationTable;
  department_addresses: DepartmentAddressTable;
  tags: TagTable;
  ticket_tags: TicketTagTable;
  saved_views: SavedViewTable;
}
