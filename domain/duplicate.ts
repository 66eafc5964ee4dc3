/**
 * Is an inbound mail a second delivery of one we already filed? Message-IDs are not unique in the
 * wild (`Message-ID: 12345` from two mailers, ids reused by broken scripts), so the same id alone
 * is not enough: the bytes must be the same (a retried delivery), or the same sender must have
 * used a well-formed id (a relayed copy whose Received lines differ). Anything else is filed as a
 * new message, which may still thread.
 */

/** An inbound message already stored under the same Message-ID. */
export interface StoredCopy {
  ticketId: number;
  fromAddress: string;
  /** SHA-256 of its raw bytes; null when the raw message is gone. */
  sha256: string | null;
}

export interface IncomingMail {
  messageId: string | null;
  /** The address it would be filed under (lower case). */
  sender: string;
  sha256: string;
}

export type DuplicateReason = "same-content" | "same-sender";

/** The stored copy this mail duplicates and why, or null when it must be filed. */
export function findDuplicate(
  mail: IncomingMail,
  stored: readonly StoredCopy[],
): { copy: StoredCopy; reason: DuplicateReason } | null {
  if (mail.messageId === null) return null;
  const same = stored.find((c) => c.sha256 !== null && c.sha256 === mail.sha256);
  if (same) return { copy: same, reason: "same-content" };
  if (!isWellFormedMessageId(mail.messageId)) return null;
  const sender = mail.sender.toLowerCase();
  const bySender = stored.find((c) => c.fromAddress.toLowerCase() === sender);
  return bySender ? { copy: bySender, reason: "same-sender" } : null;
}

/** id-left "@" id-right, as RFC 5322 asks: enough entropy to mean one message. */
export function isWellFormedMessageId(id: string): boolean {
  return /^[^\s@<>]+@[^\s@<>]+$/.test(id);
}
