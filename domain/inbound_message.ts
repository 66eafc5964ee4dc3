import type { Bounce } from "./bounce.ts";

/** An address with its decoded display name, address normalized to lower case. */
export interface MailAddress {
  address: string;
  name: string;
}

/** How long a clipped text or HTML part was in whole, in characters. */
export interface BodyClip {
  text?: number;
  html?: number;
}

/** An attachment as parsed from a MIME part. */
export interface InboundAttachment {
  filename: string;
  contentType: string;
  /** Content-ID without angle brackets, or null. */
  contentId: string | null;
  /** "inline" or "attachment". */
  disposition: "inline" | "attachment";
  content: Uint8Array;
}

/** Why a message should never get an automatic answer (RFC 3834 and peers' heuristics). */
export type AutoKind = "none" | "auto-reply" | "bounce" | "bulk";

/** A parsed inbound mail: everything the domain needs, no I/O handles. */
export interface InboundMessage {
  /** Message-ID without angle brackets, or null when the mail has none. */
  messageId: string | null;
  /** In-Reply-To ids, without brackets. */
  inReplyTo: string[];
  /** References ids, oldest first, without brackets. */
  references: string[];
  /** Decoded subject, NUL and control characters removed, "" when absent. */
  subject: string;
  /** The sender: From's first usable mailbox, else Reply-To's, else Sender's; null when none is. */
  from: MailAddress | null;
  /** The sender's display name, kept when no header gave a usable address (the envelope will). */
  fromName: string;
  replyTo: MailAddress[];
  to: MailAddress[];
  cc: MailAddress[];
  /** The Date header as epoch ms, or null when absent or unparseable. */
  date: number | null;
  /** Plain text body (decoded); derived from HTML when the mail has only HTML. */
  text: string;
  /** Sanitized HTML body, or null when the mail has no HTML part. */
  html: string | null;
  /**
   * The parts kept only in part (mail/parse.ts: over MAX_SHOWN_CHARS), by their whole length in
   * characters; the whole part stays in the raw mail. Absent when nothing was clipped.
   */
  clipped?: BodyClip;
  attachments: InboundAttachment[];
  autoKind: AutoKind;
  /** What a bounce reports (domain/bounce.ts); null for other mail. */
  bounce: Bounce | null;
}
