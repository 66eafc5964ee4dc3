/**
 * Bytes of the mail Madoguchi writes by itself (confirmations, notifications, renewed links).
 * Marked `Auto-Submitted: auto-replied` (RFC 3834) and `X-Auto-Response-Suppress: All`, so other
 * robots do not answer and we never start a mail loop. Headers are built by nodemailer's
 * MailComposer, which encodes non-ASCII and refuses to carry a raw line break into a header.
 */
import { classifyAuto } from "../domain/auto_submitted.ts";
import { composeUtf8Mail } from "./compose.ts";

export interface AutoMail {
  from: { name: string; address: string };
  to: { name: string; address: string }[];
  subject: string;
  text: string;
  messageId: string;
  replyTo?: string;
  ticketNumber: number;
  date: Date;
  /** The message this answers (without brackets), for the customer's mail client to thread. */
  inReplyTo?: string | null;
  /** Its References, oldest first, without brackets. */
  references?: string[];
  /** More headers, e.g. `Precedence: auto_reply` on an auto-reply. */
  headers?: Record<string, string>;
}

/** Composes an automatic mail to RFC 5322 bytes. */
export function composeAutoMail(m: AutoMail): Promise<Uint8Array> {
  return composeUtf8Mail({
    ...m,
    subject: m.subject.replace(/[\r\n]+/g, " "),
    headers: {
      "Auto-Submitted": "auto-replied",
      "X-Auto-Response-Suppress": "All",
      "X-Madoguchi-Ticket": String(m.ticketNumber),
      ...m.headers,
    },
  });
}

/** True for addresses no automatic mail should go to: no-reply, mailer-daemon, postmaster. */
export function isMachineAddress(address: string): boolean {
  return classifyAuto({}, address, "text/plain") !== "none";
}
