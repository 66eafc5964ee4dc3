/** Tables of mail hygiene: automatic-mail caps and spam rules (migration 0018). */
import type { Generated } from "kysely";

export interface AutoMailLogTable {
  id: Generated<number>;
  /** "after_hours" or "confirmation". */
  kind: string;
  /** The recipient's mailbox, lower case without `+tag` (domain/auto_mail_cap.ts). */
  mailbox: string;
  domain: string;
  sent_at: number;
}

export interface SpamRuleTable {
  id: Generated<number>;
  /** "allow", "deny" or "keyword" (domain/spam.ts). */
  kind: string;
  pattern: string;
  created_at: number;
}

/** Merged into `Database` in schema.ts. */
export interface MailopsTables {
  auto_mail_log: AutoMailLogTable;
  spam_rules: SpamRuleTable;
}
