/**
 * Limits on automatic mail that strangers can trigger (after-hours auto-replies, inquiry
 * confirmations). Anyone can forge a From or type an address into the form, so without a cap a
 * desk could be made to mail a victim over and over: `victim+1@`, `victim+2@`… are one mailbox, and
 * `a@victim`, `b@victim`… one organisation. So counts go by the normalised address (case and
 * `+tag` folded), by the recipient's domain, and in total, each per hour.
 */

export interface AutoMailCaps {
  /** Automatic mails to one recipient domain per hour. */
  perDomainPerHour: number;
  /** Automatic mails in total per hour. */
  perHour: number;
}

export const DEFAULT_AUTO_MAIL_CAPS: AutoMailCaps = { perDomainPerHour: 30, perHour: 300 };
export const AUTO_MAIL_CAP_WINDOW_MS = 3_600_000;

/**
 * One mailbox however it is written: lower case, without the sub-address (`+tag`) in its local
 * part. `Victim+1@Example.NET` → `victim@example.net`.
 */
export function mailboxKey(address: string): { key: string; domain: string } {
  const a = address.trim().toLowerCase();
  const at = a.lastIndexOf("@");
  if (at < 0) return { key: a, domain: "" };
  const domain = a.slice(at + 1);
  const local = a.slice(0, at);
  const plus = local.indexOf("+");
  // A local part that starts with "+" has no base mailbox to fold to.
  const base = plus > 0 ? local.slice(0, plus) : local;
  return { key: `${base}@${domain}`, domain };
}

export type AutoMailCapRefusal = "per_address" | "per_domain" | "global";

/** Why one more automatic mail may not go out, or null; counts are those already in the window. */
export function autoMailCapRefusal(
  sent: { toAddress: number; toDomain: number; total: number },
  limits: AutoMailCaps & { perAddress: number },
): AutoMailCapRefusal | null {
  if (sent.toAddress >= limits.perAddress) return "per_address";
  if (sent.toDomain >= limits.perDomainPerHour) return "per_domain";
  if (sent.total >= limits.perHour) return "global";
  return null;
}
