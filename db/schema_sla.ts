/** Tables of business hours and SLAs (migration 0005): schedules, policies, notifications. */
import type { Generated } from "kysely";

export interface ScheduleTable {
  id: Generated<number>;
  name: string;
  time_zone: string;
  /** domain/schedule.ts WeeklyHours as JSON. */
  weekly_json: Generated<string>;
  /** domain/schedule.ts Holiday[] as JSON. */
  holidays_json: Generated<string>;
  created_at: number;
  updated_at: number;
}

export interface SlaPolicyTable {
  id: Generated<number>;
  department_id: number;
  priority: string;
  first_response_minutes: number | null;
  next_response_minutes: number | null;
  resolution_minutes: number | null;
  warning_kind: Generated<string>;
  warning_value: Generated<number>;
  /** domain/sla_policy.ts EscalationActions as JSON. */
  actions_json: Generated<string>;
  business_hours_only: Generated<number>;
  updated_at: number;
}

export interface NotificationTable {
  id: Generated<number>;
  agent_id: number;
  ticket_id: number | null;
  kind: string;
  data_json: Generated<string>;
  created_at: number;
  read_at: number | null;
}

/** Merged into `Database` in schema.ts. */
export interface SlaTables {
  schedules: ScheduleTable;
  sla_policies: SlaPolicyTable;
  notifications: NotificationTable;
}

/** Columns migration 0005 adds to `tickets`. */
export interface TicketSlaColumns {
  priority: Generated<string>;
  first_response_due_at: number | null;
  next_response_due_at: number | null;
  resolution_due_at: number | null;
  sla_due_at: number | null;
  sla_warn_at: number | null;
  sla_cycle_since: number | null;
  sla_clock_since: number | null;
  sla_elapsed_ms: Generated<number>;
  sla_paused: Generated<number>;
}
