/** Tables of importing old mail and pulling mail over IMAP (migration 0019). */
import type { Generated } from "kysely";

export interface ImportJobTable {
  id: Generated<number>;
  /** The resolved path read: an mbox file, a Maildir or a folder of .eml files. */
  source: string;
  kind: string;
  rcpt_to: string | null;
  status: string;
  /** mbox: byte offset of the next message to read. */
  offset: Generated<number>;
  /** Folders: the last file name (sorted) that was filed. */
  cursor: string | null;
  total: Generated<number>;
  done: Generated<number>;
  messages: Generated<number>;
  created: Generated<number>;
  joined: Generated<number>;
  duplicates: Generated<number>;
  quarantined: Generated<number>;
  skipped: Generated<number>;
  errors: Generated<string>;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

export interface ImapStateTable {
  mailbox: string;
  uid_validity: string;
  last_uid: number;
  updated_at: number;
}

/** Merged into `Database` in schema.ts. */
export interface ImportTables {
  import_jobs: ImportJobTable;
  imap_state: ImapStateTable;
}
