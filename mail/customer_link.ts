/**
 * Customer links: minted when mail goes to the customer (confirmation, each agent reply, a renewal)
 * and stored only as hashes, so the database never holds a working link. Rotation revokes them
 * all, issues a new access key and mails both to the customer.
 */
import type { Config } from "../config.ts";
import type { Store, Tx } from "../db/client.ts";
import {
  insertCustomerLink,
  revokeCustomerLinks,
  ticketLocale,
  upsertTicketAccess,
} from "../db/customer_access.ts";
import { recordEvent } from "../db/events.ts";
import { findTicket } from "../db/tickets.ts";
import { hashSecret, newSecret } from "../domain/tokens.ts";
import { hashAccessKey, newAccessKey, normalizeAccessKey } from "../domain/access_key.ts";
import {
  CUSTOMER_LINK_FOOTER,
  LINK_RENEWED_TEMPLATES,
  renderTemplate,
} from "../domain/mail_template.ts";
import { NotFoundError } from "../domain/errors.ts";
import { isMachineAddress } from "./auto_mail.ts";
import { queueAutoMail } from "./outbound_record.ts";

export interface CustomerMailSettings {
  publicUrl: string;
  supportAddress: string;
  fromName: string;
  subjectTagPrefix: string;
  relayConfigured: boolean;
}

/** The mail settings of customer-facing mail, from the configuration. */
export function customerMailSettings(config: Config): CustomerMailSettings {
  return {
    publicUrl: config.publicUrl,
    supportAddress: config.supportAddress,
    fromName: config.fromName,
    subjectTagPrefix: config.subjectTagPrefix,
    relayConfigured: config.smtpRelayUrl !== null,
  };
}

/** Mints a link for a ticket (256 random bits; only the hash is kept); returns the token. */
export async function issueCustomerLink(tx: Tx, ticketId: number, now: number): Promise<string> {
  const token = newSecret();
  await insertCustomerLink(tx, ticketId, await hashSecret(token), now);
  return token;
}

/** The customer page for a link token. */
export function customerPageUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/c/${token}`;
}

/** The status-check page. */
export function statusPageUrl(publicUrl: string): string {
  return `${publicUrl}/status`;
}

/** Mints a fresh link and returns the text footer for an agent's reply. */
export async function customerLinkFooter(
  tx: Tx,
  publicUrl: string,
  ticketId: number,
  now: number,
): Promise<string> {
  const token = await issueCustomerLink(tx, ticketId, now);
  const lang = await ticketLocale(tx, ticketId);
  return `${CUSTOMER_LINK_FOOTER[lang]}\n${customerPageUrl(publicUrl, token)}`;
}

/** Text shown on the ticket in place of secrets: agents never see a customer's link or key. */
export function maskSecrets(text: string, secrets: string[]): string {
  return secrets.reduce((s, secret) => s.replaceAll(secret, "••••••••"), text);
}

/**
 * Revokes every link of a ticket, replaces its access key and queues a mail with the new ones to
 * the customer (unless the address is a machine's).
 */
export async function rotateCustomerAccess(
  store: Store,
  settings: CustomerMailSettings,
  input: { ticketId: number; agentId: number; now?: number },
): Promise<void> {
  const now = input.now ?? Date.now();
  await store.writeTx(async (tx) => {
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
    await recordEvent(tx, {
      ticketId: ticket.id,
      agentId: input.agentId,
      kind: "customer_link.rotated",
      data: { revoked },
      now,
    });
    if (isMachineAddress(ticket.customerEmail)) return;
    await queueAutoMail(tx, settings, {
      direction: "out",
      ticket,
      to: [{ address: ticket.customerEmail, name: ticket.customerName }],
      subject: mail.subject,
      text: mail.body,
      shownText: maskSecrets(mail.body, [replyUrl, accessKey]),
      agentId: input.agentId,
      now,
    });
  });
}
