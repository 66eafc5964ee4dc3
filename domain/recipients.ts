/**
 * Who an agent's reply goes to: reply-all by default (the customer, and whoever else their last
 * mail went to or copied, minus our own addresses and addresses that bounced), or the To, Cc and
 * Bcc the agent edited. Every entry is exactly one plain mailbox: a name with a line break, a
 * quoted or encoded local part, or an entry that holds two addresses is refused, never split into
 * more recipients or headers than the agent saw.
 */
import type { MailAddress } from "./inbound_message.ts";
import { normalizeAddress, splitMailboxes } from "./email_address.ts";

/** How many recipients one reply may have, To, Cc and Bcc together. */
export const MAX_RECIPIENTS = 50;
/** A display name's longest form. */
const MAX_NAME = 200;

export const RECIPIENT_FIELDS = ["to", "cc", "bcc"] as const;
export type RecipientField = typeof RECIPIENT_FIELDS[number];

export interface Recipients {
  to: MailAddress[];
  cc: MailAddress[];
  bcc: MailAddress[];
}

/** Why an entry or a field was refused; `entry` is the text that was. */
export type RecipientProblem =
  | { code: "invalid"; entry: string }
  | { code: "several"; entry: string }
  | { code: "own"; entry: string }
  | { code: "required" }
  | { code: "tooMany"; max: number };

// deno-lint-ignore no-control-regex
const CONTROL = /[\x00-\x1f\x7f\u2028\u2029]/;

/**
 * One entry as one mailbox: `addr@example.com`, `Name <addr@example.com>` or
 * `"Last, First" <addr@example.com>`. Anything else (two addresses, control characters, a local
 * part a relay could read as more than one recipient) is a problem.
 */
export function parseMailbox(entry: string): MailAddress | RecipientProblem {
  const trimmed = entry.trim();
  if (CONTROL.test(trimmed) || trimmed.length > 400) return { code: "invalid", entry: trimmed };
  const boxes = splitMailboxes(trimmed);
  if (boxes.length > 1) return { code: "several", entry: trimmed };
  const address = boxes.length === 1 ? normalizeAddress(boxes[0].address) : null;
  if (address === null) return { code: "invalid", entry: trimmed };
  const name = boxes[0].name.replace(/\s+/g, " ").trim();
  if (name.length > MAX_NAME || /=\?.*\?=/.test(name)) return { code: "invalid", entry: trimmed };
  return { address, name: name.toLowerCase() === address ? "" : name };
}

/**
 * Splits what an agent typed in one field (entries separated by commas, semicolons or line
 * breaks; commas inside quotes belong to the name) into entries. Each entry is parsed on its own
 * afterwards, so splitting here can never add a recipient the agent did not write.
 */
export function splitEntries(value: string): string[] {
  const entries: string[] = [];
  let current = "";
  let quoted = false;
  let angle = false;
  for (const c of value) {
    if (c === '"' && !angle) quoted = !quoted;
    else if (c === "<" && !quoted) angle = true;
    else if (c === ">" && !quoted) angle = false;
    if (!quoted && !angle && (c === "," || c === ";" || c === "\n" || c === "\r")) {
      entries.push(current);
      current = "";
    } else current += c;
  }
  entries.push(current);
  return entries.map((e) => e.trim()).filter((e) => e !== "");
}

/** What one field holds: its mailboxes, or the first problem. */
export function parseField(entries: string[]): MailAddress[] | RecipientProblem {
  const out: MailAddress[] = [];
  for (const entry of entries) {
    const box = parseMailbox(entry);
    if ("code" in box) return box;
    out.push(box);
  }
  return out;
}

/** Decides which addresses are ours (never a recipient: the mail would come back to us). */
export interface OwnAddresses {
  /** The domains we receive mail for. */
  domains: readonly string[];
  /** Further addresses of ours (department reply addresses), lower case. */
  addresses: readonly string[];
}

/** Whether an address is one of ours. */
export function isOwnAddress(address: string, own: OwnAddresses): boolean {
  const a = address.toLowerCase();
  const domain = a.slice(a.lastIndexOf("@") + 1);
  return own.domains.some((d) => d.toLowerCase() === domain) || own.addresses.includes(a);
}

/**
 * Reply-all: To the customer; Cc whoever wrote the last mail when that was not the customer (a
 * colleague of theirs answering in the thread), then everyone else it was addressed or copied to,
 * in order, once each — but none of ours, and none `suppressed` (they bounced).
 */
export function replyAllRecipients(input: {
  customer: MailAddress;
  /** The sender of the last mail; absent when there is none. */
  lastFrom?: MailAddress;
  /** To and Cc of the customer's last mail; none when there is none. */
  lastTo: readonly MailAddress[];
  lastCc: readonly MailAddress[];
  own: OwnAddresses;
  suppressed: ReadonlySet<string>;
}): Recipients {
  const seen = new Set([input.customer.address.toLowerCase()]);
  const cc: MailAddress[] = [];
  const from = input.lastFrom ? [input.lastFrom] : [];
  for (const a of [...from, ...input.lastTo, ...input.lastCc]) {
    const address = normalizeAddress(a.address);
    if (address === null || seen.has(address)) continue;
    seen.add(address);
    if (isOwnAddress(address, input.own) || input.suppressed.has(address)) continue;
    if (cc.length + 1 >= MAX_RECIPIENTS) break;
    cc.push({ address, name: a.name.replace(/\s+/g, " ").trim().slice(0, MAX_NAME) });
  }
  return { to: [{ ...input.customer }], cc, bcc: [] };
}

/**
 * Checks recipients an agent chose: at least one To, none of ours, at most MAX_RECIPIENTS, and
 * each address once (a later field's repeat is dropped: To wins over Cc, Cc over Bcc). Returns
 * the cleaned recipients or the problems by field.
 */
export function checkRecipients(
  r: Recipients,
  own: OwnAddresses,
): { ok: true; recipients: Recipients } | {
  ok: false;
  problems: Partial<Record<RecipientField, RecipientProblem>>;
} {
  const problems: Partial<Record<RecipientField, RecipientProblem>> = {};
  const seen = new Set<string>();
  const out: Recipients = { to: [], cc: [], bcc: [] };
  for (const field of RECIPIENT_FIELDS) {
    for (const a of r[field]) {
      const address = a.address.toLowerCase();
      if (isOwnAddress(address, own)) {
        problems[field] ??= { code: "own", entry: a.address };
        continue;
      }
      if (seen.has(address)) continue;
      seen.add(address);
      out[field].push(a);
    }
  }
  if (r.to.length === 0) problems.to ??= { code: "required" };
  if (seen.size > MAX_RECIPIENTS) {
    problems.to ??= { code: "tooMany", max: MAX_RECIPIENTS };
  }
  return Object.keys(problems).length === 0
    ? { ok: true, recipients: out }
    : { ok: false, problems };
}

/** A mailbox as an agent types it: `addr`, `Name <addr>`, `"Last, First" <addr>`. */
export function formatMailbox(a: MailAddress): string {
  if (!a.name) return a.address;
  const name = /^[^"\\,;:<>()@[\]]*$/.test(a.name) ? a.name : `"${a.name.replace(/["\\]/g, "")}"`;
  return `${name} <${a.address}>`;
}

/** A field's mailboxes as the agent edits them. */
export function formatField(list: readonly MailAddress[]): string {
  return list.map(formatMailbox).join(", ");
}

/** Every envelope recipient of a reply: To, Cc and Bcc, each address once. */
export function envelopeRecipients(r: Recipients): string[] {
  return [...new Set([...r.to, ...r.cc, ...r.bcc].map((a) => a.address))];
}
