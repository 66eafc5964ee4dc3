/**
 * The customer's way in: the status check (an inquiry number and its access key open the
 * customer's page) and the rotation of a ticket's links and key.
 *
 * The key is compared as a SHA-256 digest in constant time, and an unknown number costs the same
 * hash and comparison as a known one, so timing does not tell which numbers have keys.
 */
import type { Db } from "../db/client.ts";
import {
  findTicketAccessByNumber,
  revokeCustomerLinks,
  ticketLocale,
  upsertTicketAccess,
} from "../db/customer_access.ts";
import { findTicket } from "../db/tickets.ts";
import {
  hashAccessKey,
  newAccessKey,
  normalizeAccessKey,
  sameDigest,
} from "../domain/access_key.ts";
import { isClosedForCustomer } from "../domain/customer_link_policy.ts";
import { NotFoundError } from "../domain/errors.ts";
import { LINK_RENEWED_TEMPLATES, renderTemplate } from "../domain/mail_template.ts";
import { isMachineAddress } from "../mail/auto_mail.ts";
import {
  customerPageUrl,
  issueCustomerLink,
  maskSecrets,
  statusPageUrl,
} from "../mail/customer_link.ts";
import { queueAutoMail } from "../mail/outbound_record.ts";
import type { OpContext } from "./context.ts";
import { afterTicketChange } from "./after_change.ts";

export type StatusCheck =
  | { kind: "ok"; ticketId: number }
  | { kind: "wrong" }
  | { kind: "closed" };

const NO_KEY = "0".repeat(64);

/** Checks an inquiry number and access key as typed. */
export async function checkAccessKey(
  db: Db,
  number: number | null,
  typedKey: string,
  now: number,
): Promise<StatusCheck> {
  const key = normalizeAccessKey(typedKey);
  const access = number === null ? undefined : await findTicketAccessByNumber(db, number);
  const digest = await hashAccessKey(key ?? typedKey);
  const matches = sameDigest(digest, access?.accessKeyHash ?? NO_KEY);
  if (!access || !key || !matches) return { kind: "wrong" };
  if (isClosedForCustomer(access, now)) return { kind: "closed" };
  return { kind: "ok", ticketId: access.ticketId };
}

/** Mints a link for a customer who passed the status check; returns the token. */
export function openCustomerLink(ctx: OpContext, ticketId: number): Promise<string> {
  return issueCustomerLink(ctx.tx, ticketId, ctx.now);
}

/**
 * Revokes every link of a ticket, replaces its access key and queues a mail with the new ones to
 * the customer (unless the address is a machine's).
 */
export async function rotateCustomerAccess(
  ctx: OpContext,
  input: { ticketId: number },
): Promise<void> {
  const { tx, now, sender: settings } = ctx;
  const ticket = await findTicket(tx, input.ticketId);
  if (!ticket) throw new NotFoundError("No such ticket");
  const revoked = await revokeCustomerLinks(tx, ticket.id, now);
  const accessKey = newAccessKey();
  await upsertTicketAccess(tx, {
    ticketId: ticket.id,
    accessKeyHash: await hashAccessKey(normalizeAccessKey(accessKey)!),
    now,
  });
  const token = await issueCustomerLink(tx, ticket.id, now);
  const lang = await ticketLocale(tx, ticket.id);
  const replyUrl = customerPageUrl(settings.publicUrl, token);
  const mail = renderTemplate(LINK_RENEWED_TEMPLATES[lang], {
    name: ticket.customerName,
    number: String(ticket.number),
    tag: `[${settings.subjectTagPrefix}${ticket.number}]`,
    reply_url: replyUrl,
    status_url: statusPageUrl(settings.publicUrl),
    access_key: accessKey,
  });
  const mailed = !isMachineAddress(ticket.customerEmail);
  if (mailed) {
    await queueAutoMail(tx, settings, {
      direction: "out",
      ticket,
      to: [{ address: ticket.customerEmail, name: ticket.customerName }],
      subject: mail.subject,
      text: mail.body,
      shownText: maskSecrets(mail.body, [replyUrl, accessKey]),
      agentId: ctx.actor.kind === "agent" ? ctx.actor.id : null,
      now,
    });
  }
  await afterTicketChange(ctx, {
    ticketId: ticket.id,
    event: { kind: "customer_link.rotated", data: { revoked } },
    mailQueued: mailed,
  });
}
