/**
 * A web inquiry becomes a ticket exactly like a mail does (mail/create_ticket.ts, channel "web"),
 * and in the same transaction: the form token is spent, the customer gets an access key and a
 * link, and the confirmation mails are queued. A second post of the same form (a double click, a
 * reload, a replay) finds the spent token and is sent to the first post's thank-you page.
 */
import type { Store } from "../db/client.ts";
import {
  findReceipt,
  findSubmission,
  insertSubmission,
  upsertTicketAccess,
} from "../db/customer_access.ts";
import type { Department, DepartmentSettings } from "../db/departments.ts";
import { recordEvent } from "../db/events.ts";
import { findTicket } from "../db/tickets.ts";
import { hashAccessKey, newAccessKey, normalizeAccessKey } from "../domain/access_key.ts";
import { receiptIdFor } from "../domain/form_token.ts";
import type { InboundAttachment } from "../domain/inbound_message.ts";
import type { Lang } from "../domain/inquiry_form.ts";
import { hashSecret } from "../domain/tokens.ts";
import { queueInquiryConfirmations } from "./confirmation.ts";
import { createTicketForCustomer } from "./create_ticket.ts";
import { type CustomerMailSettings, issueCustomerLink } from "./customer_link.ts";

export interface InquirySubmission {
  department: Department;
  settings: DepartmentSettings;
  lang: Lang;
  customer: { email: string; name: string };
  subject: string;
  /** The message as agents read it. */
  text: string;
  attachments: InboundAttachment[];
  /** The verified one-time form token and the key that signed it. */
  formToken: string;
  formKey: CryptoKey;
  now?: number;
}

export interface InquiryResult {
  kind: "created" | "replayed";
  /** The thank-you page's id (only its hash is stored). */
  receiptId: string;
  number: number;
}

class Replayed extends Error {}

/** Files a web inquiry; a replayed form token returns the first submission's result. */
export async function submitInquiry(
  store: Store,
  mail: CustomerMailSettings,
  s: InquirySubmission,
): Promise<InquiryResult> {
  const now = s.now ?? Date.now();
  const nonceHash = await hashSecret(s.formToken);
  const receiptId = await receiptIdFor(s.formKey, s.formToken);
  const receiptHash = await hashSecret(receiptId);
  const replayed = async (): Promise<InquiryResult | undefined> => {
    const receipt = await findReceipt(store.db, receiptHash);
    return receipt && { kind: "replayed", receiptId, number: receipt.number };
  };
  if (await findSubmission(store.db, nonceHash)) {
    const first = await replayed();
    if (first) return first;
  }
  try {
    const created = await createTicketForCustomer(store, {
      customer: s.customer,
      subject: s.subject,
      text: s.text,
      channel: "web",
      keepExistingName: true,
      supportAddress: mail.supportAddress,
      agentId: null,
      departmentId: s.department.id,
      attachments: s.attachments,
      now,
      async within(tx, created) {
        // Checked again under the write lock: of two racing posts, the second stops here.
        if (await findSubmission(tx, nonceHash)) throw new Replayed();
        await insertSubmission(tx, {
          nonceHash,
          receiptHash,
          ticketId: created.id,
          messageId: created.messageId,
          now,
        });
        const accessKey = newAccessKey();
        await upsertTicketAccess(tx, {
          ticketId: created.id,
          accessKeyHash: await hashAccessKey(normalizeAccessKey(accessKey)!),
          locale: s.lang,
          now,
        });
        const linkToken = await issueCustomerLink(tx, created.id, now);
        const sent = await queueInquiryConfirmations(tx, mail, {
          ticket: (await findTicket(tx, created.id))!,
          department: s.department,
          settings: s.settings,
          lang: s.lang,
          body: s.text,
          linkToken,
          accessKey,
          now,
        });
        await recordEvent(tx, {
          ticketId: created.id,
          agentId: null,
          kind: "inquiry.received",
          data: { department: s.department.slug, confirmations: sent },
          now,
        });
      },
    });
    return { kind: "created", receiptId, number: created.number };
  } catch (e) {
    if (!(e instanceof Replayed)) throw e;
    const first = await replayed();
    if (!first) throw new Error("A replayed inquiry has no receipt");
    return first;
  }
}
