/** Tables of after-hours replies and reminders (migration 0006). */
import type { Generated } from "kysely";

export interface AfterHoursSettingsTable {
  department_id: number;
  auto_reply: Generated<number>;
  /** New mail that arrives while the department is closed goes here; null: it stays. */
  on_duty_department_id: number | null;
  /** Per-language template overrides (domain/after_hours.ts). */
  templates_json: Generated<string>;
  updated_at: number;
}

export interface AutoReplyLogTable {
  department_id: number;
  /** The sender's address, lower case. */
  address: string;
  sent_at: number;
}

export interface ReminderSettingsTable {
  department_id: number;
  enabled: Generated<number>;
  after_days: Generated<number>;
  max_reminders: Generated<number>;
  final_after_days: Generated<number>;
  final_action: Generated<string>;
  /** Per-language template overrides (domain/reminder_policy.ts). */
  templates_json: Generated<string>;
  updated_at: number;
}

/** Merged into `Database` in schema.ts. */
export interface AutomationTables {
  after_hours_settings: AfterHoursSettingsTable;
  auto_reply_log: AutoReplyLogTable;
  reminder_settings: ReminderSettingsTable;
}
