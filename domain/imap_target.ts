/** Where the IMAP pull reads mail: a mailbox on a server, with the login (pure data). */

export interface ImapTarget {
  host: string;
  port: number;
  /** TLS from the start (imaps, usually port 993); else plain (STARTTLS when offered). */
  secure: boolean;
  user: string;
  pass: string;
  mailbox: string;
}

/** The key of a mailbox's saved state: imaps://user@host:993/INBOX (never the password). */
export function imapTargetKey(t: ImapTarget): string {
  return `${t.secure ? "imaps:" : "imap:"}//${
    encodeURIComponent(t.user)
  }@${t.host}:${t.port}/${t.mailbox}`;
}

/** Field problems of an IMAP form, by field: "required" or "invalid". */
export function imapFormProblems(
  f: { host: string; port: string; username: string; folder: string },
): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!f.host) problems.host = "required";
  else if (!/^[a-z0-9.-]{1,253}$/i.test(f.host) && !/^\[?[0-9a-f:]+\]?$/i.test(f.host)) {
    problems.host = "invalid";
  }
  const port = Number(f.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) problems.port = "invalid";
  if (!f.username) problems.username = "required";
  else if (/[\r\n]/.test(f.username)) problems.username = "invalid";
  if (f.folder.length > 200 || /[\r\n]/.test(f.folder)) problems.folder = "invalid";
  return problems;
}
