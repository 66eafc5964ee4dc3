import type { MailAddress } from "./inbound_message.ts";

/** A pragmatic address check for forms and the API: one @, no spaces, a dot in the domain. */
export const EMAIL_ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/*
 * An address we store for a customer ends up as an SMTP recipient. One that holds whitespace,
 * "<", ">", ",", quotes or an encoded word would be re-parsed by the relay's client into a
 * different mailbox or several (one stored address once became two RCPT TO), so only a plain
 * addr-spec passes: a dot-atom local part (UTF-8 allowed), one "@", a domain of labels.
 */
// deno-lint-ignore no-control-regex
const LOCAL_PART = /^[^\s"(),.:;<>@[\\\]\x00-\x1f\x7f]+(?:\.[^\s"(),.:;<>@[\\\]\x00-\x1f\x7f]+)*$/;
// deno-lint-ignore no-control-regex
const DOMAIN = /^[^\s"(),.:;<>@[\\\]_\x00-\x1f\x7f]+(?:\.[^\s"(),.:;<>@[\\\]_\x00-\x1f\x7f]+)*$/;

/** The address lower-cased when it is one plain mailbox safe as a single recipient, else null. */
export function normalizeAddress(value: string): string | null {
  const address = value.trim();
  const at = address.lastIndexOf("@");
  if (at <= 0 || address.length > 254 || /=\?.*\?=/.test(address)) return null;
  const local = address.slice(0, at);
  const domain = address.slice(at + 1).replace(/\.$/, "");
  if (local.length > 64 || !LOCAL_PART.test(local) || !DOMAIN.test(domain)) return null;
  return `${local}@${domain}`.toLowerCase();
}

/** One mailbox of an address header as written; the name still holds its encoded words. */
export interface RawMailbox {
  /** What stands for the address: the <…> content, or the text outside comments. */
  address: string;
  /** The display name, or the comment of an old-style "addr (Name)". */
  name: string;
}

/**
 * Splits an address header value into mailboxes, honouring quoted strings, comments, angle
 * brackets and groups. Nothing decoded can add structure: encoded words are decoded by the
 * caller, in names only, after this split.
 */
export function splitMailboxes(value: string): RawMailbox[] {
  const boxes: RawMailbox[] = [];
  let outside = "";
  let comment = "";
  let angle: string | null = null;
  const flush = () => {
    const name = outside.replace(/\s+/g, " ").trim();
    if (angle !== null) boxes.push({ address: angle.trim(), name: name || comment.trim() });
    else if (name !== "") boxes.push({ address: name, name: comment.trim() });
    outside = comment = "";
    angle = null;
  };
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '"') {
      let text = "";
      for (i++; i < value.length && value[i] !== '"'; i++) {
        text += value[i] === "\\" ? value[++i] ?? "" : value[i];
      }
      // Quotes stay in an address position, so a quoted local part is seen (and refused).
      outside += angle === null ? `"${text}"` : text;
    } else if (c === "(") {
      let depth = 1;
      let text = "";
      for (i++; i < value.length && depth > 0; i++) {
        if (value[i] === "\\") text += value[++i] ?? "";
        else if (value[i] === "(") depth++;
        else if (value[i] === ")") depth--;
        if (depth > 0 && value[i] !== "\\") text += value[i];
      }
      i--;
      comment += (comment ? " " : "") + text;
    } else if (c === "<" && angle === null) {
      const close = value.indexOf(">", i);
      angle = value.slice(i + 1, close === -1 ? value.length : close)
        .replace(/\((?:[^()\\]|\\.)*\)/g, "") // comments: <pete(his account)@silly.test>
        .replace(/^(?:@[^,:]*,?)+:/, ""); // an obsolete source route
      i = close === -1 ? value.length : close;
    } else if (c === "," || c === ";") {
      flush();
    } else if (c === ":" && angle === null && !outside.includes("@")) {
      outside = ""; // a group's name
    } else {
      outside += c;
    }
  }
  flush();
  return boxes.map((b) => ({ address: b.address, name: unquote(b.name) }));
}

function unquote(name: string): string {
  return name.replace(/^"(.*)"$/, "$1").trim();
}

/**
 * A mailbox's display name; "Big Bug bb@bug.com" (no brackets) has no usable address, but its
 * leading words are still the name. A name that only repeats the address is none.
 */
function nameOf(box: RawMailbox, decodeName: (raw: string) => string): string {
  const name = decodeName(box.name);
  if (name !== "") return name.toLowerCase() === box.address.toLowerCase() ? "" : name;
  const words = /^([^"<>@]+)\s+\S*@\S*$/.exec(box.address);
  return words ? decodeName(words[1]) : "";
}

/** The sender an inbound mail is filed under: an address we can trust as one mailbox, or null. */
export interface ChosenSender {
  address: string | null;
  /** The display name the sender gave, kept even when the address had to come from elsewhere. */
  name: string;
  /** The header the address came from. */
  source: "from" | "reply-to" | "sender" | null;
}

/**
 * Picks the sender: the first usable mailbox of the From headers (in order: with two From
 * headers the first parseable one), else of Reply-To, else of Sender; the display name is the
 * first one From gives, else the chosen mailbox's. No usable address leaves the envelope to the
 * caller, with the name kept.
 */
export function chooseSender(headers: {
  from: RawMailbox[];
  replyTo: RawMailbox[];
  sender: RawMailbox[];
}, decodeName: (raw: string) => string = (raw) => raw): ChosenSender {
  const fromName = headers.from.map((b) => nameOf(b, decodeName)).find((n) => n !== "") ?? "";
  const sources = [["from", headers.from], ["reply-to", headers.replyTo], [
    "sender",
    headers.sender,
  ]] as const;
  for (const [source, boxes] of sources) {
    for (const box of boxes) {
      const address = normalizeAddress(box.address);
      if (address === null) continue;
      const own = nameOf(box, decodeName);
      return { address, name: source === "from" ? own || fromName : fromName || own, source };
    }
  }
  return { address: null, name: fromName, source: null };
}

/**
 * Who an inbound mail is filed under: the chosen sender, else the envelope sender with the name
 * the headers gave, else a placeholder that can never be mailed.
 */
export function filingSender(
  chosen: Pick<ChosenSender, "address" | "name">,
  envelopeFrom: string | null,
): MailAddress {
  const address = chosen.address ?? normalizeAddress(envelopeFrom ?? "") ??
    "unknown-sender@invalid";
  return { address, name: chosen.name };
}

/** Envelope recipients, each one plain mailbox; null when any is not (nothing may be sent). */
export function singleRecipients(to: readonly string[]): string[] | null {
  // Checked, not lower-cased: a local part may be case-sensitive at the receiving end.
  const ok = to.length > 0 && to.every((a) => normalizeAddress(a) !== null);
  return ok ? to.map((a) => a.trim()) : null;
}
