/**
 * Which ticket does an inbound mail belong to? A pure decision over the parsed headers and the
 * lookups the caller made for the keys `threadingKeys` extracted.
 *
 * Order (strongest evidence first, after osTicket and Chatwoot; see research/anchors.md §1):
 * 1. a second delivery of a stored mail (domain/duplicate.ts) → store nothing new;
 * 2. a reply token in a recipient plus-address (support+t<token>@…) — survives relays that rewrite
 *    Message-ID (Amazon SES) and clients that drop References;
 * 3. In-Reply-To / References, newest first, matched against every Message-ID of every ticket
 *    (so a CC'd third party's reply-all joins too), or carrying our own reply token;
 * 4. the subject tag ([#123]) — Japanese carriers and groupware drop threading headers — but only
 *    when the sender already takes part in that ticket, so a guessed number cannot inject mail
 *    into someone else's conversation;
 * 5. otherwise a new ticket. Same sender with a new subject is a new ticket.
 */
import type { InboundMessage } from "./inbound_message.ts";

export interface ThreadingKeys {
  /** Referenced Message-IDs, newest first (In-Reply-To, then References from the end). */
  referencedIds: string[];
  /** Reply tokens found in recipient plus-addresses and in our own referenced Message-IDs. */
  replyTokens: string[];
  /** The ticket number from the subject tag, or null. */
  subjectTagNumber: number | null;
}

export interface ThreadingLookups {
  /** True when an inbound message with this Message-ID is already stored. */
  isDuplicate: boolean;
  /** Ticket ids by reply token, for the tokens that exist. */
  ticketByReplyToken: Map<string, number>;
  /** Ticket ids by Message-ID, for the referenced ids that exist. */
  ticketByMessageId: Map<string, number>;
  /** The ticket the subject tag names, with every address that took part in it. */
  subjectTagTicket: { ticketId: number; participants: Set<string> } | null;
}

export type ThreadDecision =
  | { kind: "duplicate" }
  | { kind: "join"; ticketId: number; via: "reply-token" | "references" | "subject-tag" }
  | { kind: "new" };

const REPLY_TOKEN = /^[a-z2-7]{26}$/;

/** Extracts the keys whose lookups `decideThread` needs. */
export function threadingKeys(
  msg:
    & Pick<InboundMessage, "inReplyTo" | "references" | "subject">
    & Partial<
      Pick<InboundMessage, "bounce">
    >,
  recipients: string[],
  subjectTagPrefix: string,
): ThreadingKeys {
  // A bounce names the mail it returns inside the attached original, not in its own headers.
  const returned = msg.bounce?.originalMessageIds ?? [];
  const referencedIds = unique([...msg.inReplyTo, ...[...msg.references].reverse(), ...returned]);
  const replyTokens: string[] = [...(msg.bounce?.replyTokens ?? [])];
  for (const rcpt of recipients) {
    const local = rcpt.toLowerCase().split("@")[0] ?? "";
    const plus = local.indexOf("+t");
    if (plus >= 0) replyTokens.push(local.slice(plus + 2));
  }
  for (const id of referencedIds) {
    const token = id.toLowerCase().split(".")[0] ?? "";
    replyTokens.push(token);
  }
  return {
    referencedIds,
    replyTokens: unique(replyTokens.filter((t) => REPLY_TOKEN.test(t))),
    subjectTagNumber: findSubjectTag(msg.subject, subjectTagPrefix),
  };
}

/** Decides duplicate / join / new from the keys' lookups. */
export function decideThread(
  keys: ThreadingKeys,
  lookups: ThreadingLookups,
  senderAddress: string | null,
): ThreadDecision {
  if (lookups.isDuplicate) return { kind: "duplicate" };
  for (const token of keys.replyTokens) {
    const ticketId = lookups.ticketByReplyToken.get(token);
    if (ticketId !== undefined) return { kind: "join", ticketId, via: "reply-token" };
  }
  for (const id of keys.referencedIds) {
    const ticketId = lookups.ticketByMessageId.get(id);
    if (ticketId !== undefined) return { kind: "join", ticketId, via: "references" };
  }
  const tagged = lookups.subjectTagTicket;
  if (tagged && senderAddress && tagged.participants.has(senderAddress.toLowerCase())) {
    return { kind: "join", ticketId: tagged.ticketId, via: "subject-tag" };
  }
  return { kind: "new" };
}

/** Finds "[<prefix><number>]" in a subject, e.g. "Re: 見積もり [#1234]" → 1234. */
export function findSubjectTag(subject: string, prefix: string): number | null {
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const match = new RegExp(`\\[${escaped}(\\d{1,12})\\]`, "i").exec(subject);
  return match ? Number(match[1]) : null;
}

/** The subject of an outbound reply: "Re: " once, the original subject, the tag appended once. */
export function replySubject(ticketSubject: string, number: number, prefix: string): string {
  const tag = `[${prefix}${number}]`;
  const base = stripReplyPrefixes(ticketSubject).replaceAll(tag, "").trim();
  return `Re: ${base} ${tag}`.replace(/\s+/g, " ");
}

/** Removes leading "Re:", "RE:", "Fwd:", "AW:", "返信:", "Re[2]:" prefixes. */
export function stripReplyPrefixes(subject: string): string {
  return subject.replace(/^(\s*(re|fwd?|aw|sv|wg|返信|転送)(\[\d+\])?\s*[:：]\s*)+/i, "").trim();
}

function unique(xs: string[]): string[] {
  return [...new Set(xs.filter((x) => x.length > 0))];
}
