/**
 * Bytes of the mail Madoguchi writes by itself (confirmations, notifications, renewed links).
 * Marked `Auto-Submitted: auto-replied` (RFC 3834) and `X-Auto-Response-Suppress: All`, so other
 * robots do not answer and we never start a mail loop. Headers are built by nodemailer's
 * MailComposer, which encodes non-ASCII and refuses to carry a raw line break into a header.
 */
// @ts-types="@types/nodemailer/lib/mail-composer"
import MailComposer from "nodemailer/lib/mail-composer/index.js";
import { classifyAuto } from "../domain/auto_submitted.ts";

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
  const composer = new MailComposer({
    from: m.from,
    to: m.to,
    replyTo: m.replyTo,
    subject: m.subject.replace(/[\r\n]+/g, " "),
    text: m.text,
    date: m.date,
    messageId: `<${m.messageId}>`,
    inReplyTo: m.inReplyTo ? `<${m.inReplyTo}>` : undefined,
    references: m.references?.length ? m.references.map((r) => `<${r}>`).join(" ") : undefined,
    headers: {
      "Auto-Submitted": "auto-replied",
      "X-Auto-Response-Suppress": "All",
      "X-Madoguchi-Ticket": String(m.ticketNumber),
      ...m.headers,
    },
    textEncoding: "base64",
  });
  return new Promise((resolve, reject) =>
    composer.compile().build((err, buf) => err ? reject(err) : resolve(new Uint8Array(buf)))
  );
}

/** True for addresses no automatic mail should go to: no-reply, mailer-daemon, postmaster. */
export function isMachineAddress(address: string): boolean {
  return classifyAuto({}, address, "text/plain") !== "none";
}
