/**
 * The one gate for automatic mail a stranger can trigger (after-hours auto-replies, inquiry
 * confirmations): counts in the database (so a restart forgets nothing) per mailbox, per recipient
 * domain and in total (domain/auto_mail_cap.ts), and takes a slot when there is one.
 */
import type { Tx } from "../db/client.ts";
import { countAutoMail, recordAutoMail } from "../db/auto_mail_log.ts";
import {
  AUTO_MAIL_CAP_WINDOW_MS,
  type AutoMailCapRefusal,
  autoMailCapRefusal,
  type AutoMailCaps,
  DEFAULT_AUTO_MAIL_CAPS,
  mailboxKey,
} from "../domain/auto_mail_cap.ts";

export interface AutoMailSlotRequest {
  kind: "after_hours" | "confirmation";
  address: string;
  /** How many of this kind one mailbox may get per window. */
  perAddress: { max: number; windowMs: number };
  now: number;
}

/** Takes a slot (records the mail) and returns null, or says which cap refuses it. */
export async function takeAutoMailSlot(
  tx: Tx,
  caps: AutoMailCaps | undefined,
  r: AutoMailSlotRequest,
): Promise<{ reason: AutoMailCapRefusal; mailbox: string } | null> {
  const limits = { ...(caps ?? DEFAULT_AUTO_MAIL_CAPS), perAddress: r.perAddress.max };
  const { key: mailbox, domain } = mailboxKey(r.address);
  const sent = await countAutoMail(tx, {
    kind: r.kind,
    mailbox,
    domain,
    since: r.now - AUTO_MAIL_CAP_WINDOW_MS,
    perAddressSince: r.now - r.perAddress.windowMs,
  });
  const reason = autoMailCapRefusal(sent, limits);
  if (reason) return { reason, mailbox };
  await recordAutoMail(tx, { kind: r.kind, mailbox, domain, now: r.now });
  return null;
}
