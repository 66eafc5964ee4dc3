/**
 * A scheduled report as mail: plain text with the figures, the report's CSV attached (UTF-8 with
 * its BOM, as the download), queued in the durable outbox like every other mail that belongs to
 * no ticket.
 */
// @ts-types="@types/nodemailer/lib/mail-composer"
import MailComposer from "nodemailer/lib/mail-composer/index.js";
import { Buffer } from "node:buffer";
import type { Tx } from "../db/client.ts";
import { enqueueMail } from "../db/outbox.ts";
import type { MailAddress } from "../domain/inbound_message.ts";
import type { Sender } from "./sender.ts";

export interface ReportMail {
  to: MailAddress;
  subject: string;
  text: string;
  attachment: { filename: string; content: Uint8Array };
  now: number;
}

/** The mail's bytes: text/plain in UTF-8 and a text/csv attachment. */
export function composeReportMail(
  sender: Pick<Sender, "supportAddress" | "fromName">,
  m: ReportMail,
): Promise<Uint8Array> {
  const composer = new MailComposer({
    from: { name: sender.fromName, address: sender.supportAddress },
    to: [m.to],
    subject: m.subject.replace(/[\r\n]+/g, " "),
    text: m.text,
    date: new Date(m.now),
    messageId: `<report.${crypto.randomUUID()}@${sender.supportAddress.split("@")[1]}>`,
    headers: { "Auto-Submitted": "auto-generated" },
    textEncoding: "base64",
    attachments: [{
      filename: m.attachment.filename,
      content: Buffer.from(m.attachment.content),
      contentType: "text/csv; charset=utf-8",
    }],
  });
  return new Promise((resolve, reject) =>
    composer.compile().build((err, buf) => err ? reject(err) : resolve(new Uint8Array(buf)))
  );
}

/** Queues the report mail in the outbox (held without a relay, like all mail). */
export async function queueReportMail(
  tx: Tx,
  sender: Pick<Sender, "supportAddress" | "fromName" | "relayConfigured">,
  m: ReportMail,
): Promise<void> {
  await enqueueMail(tx, {
    messageId: null,
    envelope: { from: sender.supportAddress, to: [m.to.address] },
    raw: await composeReportMail(sender, m),
    held: !sender.relayConfigured,
    now: m.now,
  });
}
