/**
 * Customer links: minted when mail goes to the customer (confirmation, each agent reply, a renewal)
 * and stored only as hashes, so the database never holds a working link. Rotation
 * (services/customer_access.ts) revokes them all, issues a new access key and mails both.
 */
import type { Tx } from "../db/client.ts";
import { insertCustomerLink, ticketLocale } from "../db/customer_access.ts";
import { hashSecret, newSecret } from "../domain/tokens.ts";
import { translator } from "../domain/i18n/mod.ts";

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
  return `${translator(lang)("customerMail.linkFooter")}\n${customerPageUrl(publicUrl, token)}`;
}

/** Text shown on the ticket in place of secrets: agents never see a customer's link or key. */
export function maskSecrets(text: string, secrets: string[]): string {
  return secrets.reduce((s, secret) => s.replaceAll(secret, "••••••••"), text);
}
