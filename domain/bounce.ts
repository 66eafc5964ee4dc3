/**
 * What a bounce says: which of our mails it returns, who could not be reached, and why. Reads
 * RFC 3464 delivery reports (message/delivery-status) and the common plain-text ones — qmail
 * ("Hi. This is the qmail-send program"), Postfix without a report part, Exchange ("Delivery has
 * failed to these recipients") — and finds the returned mail by the Message-ID or reply token in
 * the attached original (message/rfc822 or text/rfc822-headers), not only in the top-level
 * headers, which many MTAs leave empty.
 */

export interface Bounce {
  /** The address that failed (lower case), or null when the report does not say. */
  recipient: string | null;
  /** The enhanced status code ("5.1.1"), or null. */
  status: string | null;
  /** hard: 5.x.x, the address will not work; soft: 4.x.x, it may later. */
  severity: "hard" | "soft";
  /** False for a "delayed" report: the mail may still arrive. */
  failed: boolean;
  /** The remote server's words, one line, bounded. */
  diagnostic: string;
  /** Message-IDs of the returned original, without brackets. */
  originalMessageIds: string[];
  /** Reply tokens from our plus-addresses (support+t<token>@) found in the report. */
  replyTokens: string[];
}

export interface BounceParts {
  /** The text of the report, as the reader sees it. */
  text: string;
  /** message/delivery-status parts. */
  deliveryStatus: string[];
  /** The returned original: message/rfc822 or text/rfc822-headers parts. */
  original: string[];
}

const ENHANCED = /\b([245])\.(\d{1,3})\.(\d{1,3})\b/;
const ADDRESS = /[^\s<>()"',;:@]+@[^\s<>()"',;:@]+\.[a-z0-9-]+/i;

/** Reads a bounce; null when nothing in it looks like a delivery failure report. */
export function readBounce(parts: BounceParts): Bounce | null {
  const report = parts.deliveryStatus.join("\n") || dsnFields(parts.text);
  const found = report !== "" ? fromDsn(report) : fromPlainText(parts.text);
  const original = parts.original.join("\n");
  const originalMessageIds = [
    ...original.matchAll(/^message-id:[ \t]*<?([^\s<>]+@[^\s<>]+?)>?[ \t]*$/gim),
  ].map((m) => m[1]);
  const replyTokens = [
    ...`${original}\n${parts.text}`.matchAll(/\+t([a-z2-7]{26})@/gi),
  ].map((m) => m[1].toLowerCase());
  if (!found && originalMessageIds.length === 0) return null;
  const status = found?.status ?? null;
  const smtp = /\b([45])\d\d\b/.exec(found?.diagnostic ?? "")?.[1];
  const severity = status ? (status[0] === "4" ? "soft" : "hard") : smtp === "4" ? "soft" : "hard";
  return {
    recipient: found?.recipient ?? null,
    status,
    severity,
    failed: found?.failed ?? true,
    diagnostic: (found?.diagnostic ?? "").replace(/\s+/g, " ").trim().slice(0, 300),
    originalMessageIds: [...new Set(originalMessageIds)],
    replyTokens: [...new Set(replyTokens)],
  };
}

interface Finding {
  recipient: string | null;
  status: string | null;
  diagnostic: string;
  failed: boolean;
}

/** The DSN fields when a report's text holds them inline (mailparser shows some that way). */
function dsnFields(text: string): string {
  const at = text.search(/^(?:Final-Recipient|Original-Recipient):/im);
  return at === -1 ? "" : text.slice(at);
}

/** The first failed (else first) recipient block of an RFC 3464 report. */
function fromDsn(report: string): Finding | null {
  const blocks = report.split(/\r?\n[ \t]*\r?\n/).filter((b) => /^final-recipient:/im.test(b));
  const fields = blocks.map((block) => {
    const field = (name: string) =>
      new RegExp(`^${name}:[ \\t]*(.*(?:\\r?\\n[ \\t].*)*)`, "im").exec(block)?.[1] ?? "";
    // Original-Recipient is the address we sent to; Final-Recipient may be after aliasing.
    const recipient = ADDRESS.exec(field("original-recipient").replace(/^[\w-]+;/, ""))?.[0] ??
      ADDRESS.exec(field("final-recipient").replace(/^[\w-]+;/, ""))?.[0] ?? null;
    const action = field("action").trim().toLowerCase();
    return {
      recipient: recipient?.toLowerCase() ?? null,
      status: ENHANCED.exec(field("status"))?.[0] ?? null,
      diagnostic: field("diagnostic-code").replace(/^[\w-]+;\s*/, ""),
      failed: action !== "delayed" && action !== "delivered" && action !== "relayed",
    };
  });
  return fields.find((f) => f.failed) ?? fields[0] ?? null;
}

/** qmail, Postfix and Exchange reports without a delivery-status part. */
function fromPlainText(text: string): Finding | null {
  const qmail = /qmail-send program[\s\S]*?^<([^>\s]+)>:\s*\n([\s\S]*?)(?:\n\s*\n|$)/im.exec(text);
  if (qmail) return finding(qmail[1], qmail[2], text);
  const exchange = /Delivery has failed to these recipients[^\n]*\n+([^\n]+)/i.exec(text);
  if (exchange) {
    const diagnostic = /^#?([45]\d\d[ -][245]\.\d{1,3}\.\d{1,3}.*)$/m.exec(text)?.[1] ?? "";
    return finding(ADDRESS.exec(exchange[1])?.[0] ?? null, diagnostic || exchange[1], text);
  }
  // "<local@host> (expanded from <what we sent to>): reason"
  const postfix =
    /^<([^>\s]+@[^>\s]+)>(?: \(expanded from <([^>\s]+)>\))?:\s*([\s\S]*?)(?:\n\s*\n|$)/m
      .exec(text);
  if (postfix) return finding(postfix[2] ?? postfix[1], postfix[3], text);
  // Exim: the address indented on its own line, the SMTP error below it.
  const exim =
    /could not be delivered to one or more[\s\S]*?\n\s*\n[ \t]+(\S+@\S+?)\s*\n([\s\S]*?)(?:\n\s*\n|$)/i
      .exec(text);
  if (exim) return finding(exim[1].replace(/^<|>$/g, ""), exim[2], text);
  return null;
}

function finding(recipient: string | null, diagnostic: string, text: string): Finding {
  return {
    recipient: recipient?.toLowerCase() ?? null,
    status: ENHANCED.exec(diagnostic)?.[0] ?? ENHANCED.exec(text)?.[0] ?? null,
    diagnostic,
    failed: true,
  };
}
