/**
 * A web inquiry becomes a ticket exactly like a mail does (services/customer_tickets.ts, channel "web"),
 * and in the same transaction: the form token is spent, the customer gets an access key and a
 * link, and the confirmation mails are queued. A second post of the same form (a double click, a
 * reload, a replay) finds the spent token and is sent to the first post's thank-you page.
 */
import {
  findReceipt,
  findSubmission,
  insertSubmission,
  upsertTicketAccess,
} from "../db/customer_access.ts";
import type { Department, DepartmentSettings } from "../db/departments.ts";
import { recordEvent } from "../db/events.ts";
import { findTicket } from "../db/tickets.ts";
import { setTicketCategory } from "../db/report_queries.ts";
import { hashAccessKey, newAccessKey, normalizeAccessKey } from "../domain/access_key.ts";
import { receiptIdFor } from "../domain/form_token.ts";
import type { InboundAttachment } from "../domain/inbound_message.ts";
import type { Lang } from "../domain/inquiry_form.ts";
import { hashSecret } from "../domain/tokens.ts";
import { queueInquiryConfirmations } from "../mail/confirmation.ts";
import { issueCustomerLink } from "../mail/customer_link.ts";
import type { OpContext } from "./context.ts";
import { createTicketForCustomer } from "./customer_tickets.ts";

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
  /** The chosen category's Japanese label, for routing rules and reports; null when none. */
  category?: string | null;
}

export interface InquiryResult {
  kind: "created" | "replayed";
  /** The thank-you page's id (only its hash is stored). */
  receiptId: string;
  number: number;
}

/**
 * Files a web inquiry; a replayed form token returns the first submission's result. Runs under
 * the write lock, so of two racing posts of one form the second finds the first's token.
 */
export async function submitInquiry(ctx: OpContext, s: InquirySubmission): Promise<InquiryResult> {
  const { tx, now } = ctx;
  const nonceHash = await hashSecret(s.formToken);
  const receiptId = await receiptIdFor(s.formKey, s.formToken);
  const receiptHash = await hashSecret(receiptId);
  if (await findSubmission(tx, nonceHash)) {
    const receipt = await findReceipt(tx, receiptHash);
    if (!receipt) throw new Error("A replayed inquiry has no receipt");
    return { kind: "replayed", receiptId, number: receipt.number };
  }
  const created = await createTicketForCustomer(ctx, {
    customer: s.customer,
    subject: s.subject,
    text: s.text,
    channel: "web",
    keepExistingName: true,
    departmentId: s.department.id,
    attachments: s.attachments,
    category: s.category ?? null,
  });
  if (s.category) await setTicketCategory(tx, created.id, s.category);
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
  const sent = await queueInquiryConfirmations(tx, ctx.sender, {
    ticket: (await findTicket(tx, created.id))!,
    department: s.department,
    settings: s.settings,
    lang: s.lang,
    body: s.text,
    linkToken,
    accessKey,
    now,
  });
  if (sent.customer || sent.agents > 0) ctx.wake("outbox");
  await recordEvent(tx, {
    ticketId: created.id,
    agentId: null,
    kind: "inquiry.received",
    data: { department: s.department.slug, confirmations: sent },
    now,
  });
  return { kind: "created", receiptId, number: created.number };
}
