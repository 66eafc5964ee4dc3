/** Tables of mail hygiene, part two (migration 0023). */

export interface SpamReplyLinkTable {
  /** The ticket in 迷惑メール holding the reply. */
  spam_ticket_id: number;
  /** The ticket the reply claims to answer. */
  target_ticket_id: number;
  created_at: number;
  /** When "迷惑メールではない" moved the reply into the target's thread. */
  moved_at: number | null;
}

export interface ImportedRawTable {
  raw_id: number;
  job_id: number;
  /** Where in the job's source: an mbox offset or a file name. */
  where_in_source: string;
}

export interface ImapSettingsTable {
  id: number;
  host: string;
  port: number;
  tls: number;
  username: string;
  password_sealed: string;
  folder: string;
  enabled: number;
  updated_at: number;
}

/** Merged into `Database` in schema.ts. */
export interface HygieneTables {
  spam_reply_links: SpamReplyLinkTable;
  imported_raw: ImportedRawTable;
  imap_settings: ImapSettingsTable;
}
