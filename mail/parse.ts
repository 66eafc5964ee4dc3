// @ts-types="@types/mailparser"
import { type AddressObject, type Attachment, type EmailAddress, simpleParser } from "mailparser";
import { Buffer } from "node:buffer";
import { classifyAuto } from "../domain/auto_submitted.ts";
import { type Bounce, readBounce } from "../domain/bounce.ts";
import type {
  BodyClip,
  InboundAttachment,
  InboundMessage,
  MailAddress,
} from "../domain/inbound_message.ts";
import { htmlToPlainText, sanitizeMailHtml } from "./sanitize_html.ts";
import { decodeStrayJis } from "./charset.ts";
import { decodeEncodedWords } from "./encoded_word.ts";
import { chooseSender, normalizeAddress, splitMailboxes } from "../domain/email_address.ts";
import { repairMime } from "./mime_repair.ts";

/*
 * mailparser 3.14 already decodes Japanese the way Japanese mailers write it: ISO-2022-JP goes
 * through encoding-japanese (NEC row 13 ①㈱, IBM extensions, ～ as U+FF5E, ESC ( I katakana, as
 * CP50220/CP50221 do) and Shift_JIS through iconv-lite's CP932 table. What it gets wrong, and what
 * this module repairs:
 * - raw 8-bit header bytes that are not UTF-8 (Big5, GB2312, Latin-1, Shift_JIS) come out as
 *   U+FFFD, Shift_JIS in an encoded word labelled ISO-2022-JP as mojibake, and an 8-bit body with
 *   no charset as U+FFFD; mail/mime_repair.ts fixes the bytes first, detecting the charset;
 * - ISO-2022-JP escape sequences survive as text when the charset is missing or spelled in a way
 *   libmime does not map (CP50220, CP50221, csISO2022JP), when a header carries raw JIS instead of
 *   an encoded word, and in message/delivery-status parts; such runs are decoded with the WHATWG
 *   iso-2022-jp decoder, whose table is CP932's;
 * - CR-only line endings hide every header, so they become CRLF;
 * - NUL and control characters, the Date header (mailparser substitutes "now" for a bad one) and
 *   message ids (it wraps garbage in brackets) are handled here.
 */

const PARSER_OPTIONS = {
  skipImageLinks: true, // keep cid: references; inline parts stay attachments
  skipTextToHtml: true,
  skipTextLinks: true,
  // HTML-only mail gets its text from our own htmlToPlainText, run on the clipped, sanitized
  // HTML: mailparser's html-to-text on the whole part took most of a big mail's memory.
  skipHtmlToText: true,
};

/**
 * The longest text or HTML part kept as the message's body, in characters. A longer part (a
 * pasted log, a 20 MB newsletter) is kept to its first MAX_SHOWN_CHARS — cut at a line or a tag —
 * and the message says so; the whole stays in the raw mail (downloadable, never dropped by
 * housekeeping). Sanitizing 13 MB of HTML took 2.6 s and 400 MB of memory, and every view of it
 * another 0.3 s on the thread that serves everyone; 512 Ki characters sanitize in ~80 ms and show
 * in ~11 ms.
 */
export const MAX_SHOWN_CHARS = 512 * 1024;
const MAX_IDS = 100;
const MAX_ID_LENGTH = 998;
const LF = 0x0a;
const CR = 0x0d;

/** Parses raw RFC 5322 bytes into an InboundMessage; throws an Error only for unparseable input. */
export async function parseMessage(raw: Uint8Array): Promise<InboundMessage> {
  if (raw.byteLength === 0) throw new Error("Cannot parse message: it is empty");
  try {
    const bytes = repairMime(normalizeCrOnly(raw));
    const parsed = await simpleParser(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      PARSER_OPTIONS,
    );
    const headers = rawHeaders(parsed.headerLines);
    const fromBoxes = headerValues(parsed.headerLines, "from").flatMap(splitMailboxes);
    const sender = chooseSender({
      from: fromBoxes,
      replyTo: headerValues(parsed.headerLines, "reply-to").flatMap(splitMailboxes),
      sender: headerValues(parsed.headerLines, "sender").flatMap(splitMailboxes),
    }, displayName);
    const from = sender.address === null ? null : { address: sender.address, name: sender.name };
    const clipped: BodyClip = {};
    let html: string | null = null;
    if (typeof parsed.html === "string") {
      const whole = parsed.html;
      const kept = clipHtml(whole);
      if (kept.length < whole.length) clipped.html = whole.length;
      html = sanitizeMailHtml(stripNul(decodeStrayJis(kept)));
    }
    let text = parsed.text ?? "";
    const keptText = clipText(text);
    if (keptText.length < text.length) clipped.text = text.length;
    text = stripNul(decodeStrayJis(keptText));
    if (text.trim() === "" && html !== null) text = htmlToPlainText(html);
    const attachments = parsed.attachments.map(toAttachment);
    const autoKind = classifyAuto(
      headers,
      // A daemon's From ("MAILER-DAEMON (Mail Delivery System)") says bounce even unusable.
      sender.source === "from"
        ? from!.address
        : fromBoxes[0]?.address || (headers.get("from") ?? from?.address ?? null),
      headers.get("content-type") ?? "",
    );
    return {
      messageId: idList(headers.get("message-id"), true)[0] ?? null,
      inReplyTo: idList(headers.get("in-reply-to"), false),
      references: idList(headers.get("references"), false),
      subject: cleanLine(parsed.subject ?? ""),
      from,
      fromName: sender.name,
      replyTo: toAddresses(parsed.replyTo),
      to: toAddresses(parsed.to),
      cc: toAddresses(parsed.cc),
      date: parseDate(headers.get("date")),
      text,
      html,
      ...(clipped.html || clipped.text ? { clipped } : {}),
      attachments,
      autoKind,
      bounce: autoKind === "bounce" ? bounceOf(text, attachments) : null,
    };
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new Error(`Cannot parse message: ${reason}`, { cause });
  }
}

/** The report parts of a bounce, as text for domain/bounce.ts. */
function bounceOf(text: string, attachments: InboundAttachment[]): Bounce | null {
  const latin1 = new TextDecoder("latin1");
  const of = (pattern: RegExp) =>
    attachments.filter((a) => pattern.test(a.contentType)).map((a) => latin1.decode(a.content));
  return readBounce({
    text,
    deliveryStatus: of(/^message\/(?:global-)?delivery-status$/),
    // A report inlined in the text (qmail) carries the original's headers there.
    original: [
      ...of(/^(?:message\/(?:rfc822|global)|text\/rfc822-headers|message\/global-headers)$/),
      text,
    ],
  });
}

/** Old Mac mailers end lines with CR alone; mailparser then sees a single header line. */
function normalizeCrOnly(raw: Uint8Array): Uint8Array {
  if (raw.indexOf(LF) !== -1 || raw.indexOf(CR) === -1) return raw;
  let crs = 0;
  for (const byte of raw) if (byte === CR) crs++;
  const out = new Uint8Array(raw.byteLength + crs);
  let j = 0;
  for (const byte of raw) {
    out[j++] = byte;
    if (byte === CR) out[j++] = LF;
  }
  return out;
}

/** The text up to MAX_SHOWN_CHARS, ended at the last line break when one is near the end. */
export function clipText(text: string): string {
  if (text.length <= MAX_SHOWN_CHARS) return text;
  const line = text.lastIndexOf("\n", MAX_SHOWN_CHARS - 1);
  return text.slice(0, line >= MAX_SHOWN_CHARS * 0.9 ? line + 1 : wholeChar(text, MAX_SHOWN_CHARS));
}

/** The HTML up to MAX_SHOWN_CHARS, ended before the tag the limit falls in (the sanitizer closes the rest). */
export function clipHtml(html: string): string {
  if (html.length <= MAX_SHOWN_CHARS) return html;
  const tag = html.lastIndexOf("<", MAX_SHOWN_CHARS);
  return html.slice(0, tag > 0 ? tag : wholeChar(html, MAX_SHOWN_CHARS));
}

/** `at`, or one less when `at` would split a surrogate pair. */
function wholeChar(text: string, at: number): number {
  const code = text.charCodeAt(at - 1);
  return code >= 0xd800 && code <= 0xdbff ? at - 1 : at;
}

function stripNul(text: string): string {
  return text.includes("\0") ? text.replaceAll("\0", "") : text;
}

/** One-line header text: JIS repaired, controls removed, folding whitespace collapsed. */
function cleanLine(value: string): string {
  return decodeStrayJis(value)
    // deno-lint-ignore no-control-regex
    .replace(/[\x00-\x08\x0e-\x1f\x7f-\x9f]/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

/** Every value of a top-level header, in order, unfolded. */
function headerValues(lines: readonly { key: string; line: string }[], name: string): string[] {
  return lines.filter((l) => l.key === name).map(({ line }) =>
    utf8Line(line).slice(line.indexOf(":") + 1).replace(/\r?\n(?=[ \t])/g, "").trim()
  );
}

/** mailparser keeps header lines as binary strings; after mime_repair their 8-bit bytes are UTF-8. */
function utf8Line(line: string): string {
  // deno-lint-ignore no-control-regex
  if (/^[\x00-\x7f]*$/.test(line) || /[^\x00-\xff]/.test(line)) return line;
  return new TextDecoder().decode(Uint8Array.from(line, (c) => c.charCodeAt(0)));
}

/** A display name as shown: encoded words decoded, one line, no surrounding quotes. */
function displayName(raw: string): string {
  return cleanLine(decodeEncodedWords(raw)).replace(/^(["'])(.*)\1$/, "$2").trim();
}

/** Top-level header values by lower-case name (first occurrence), unfolded. */
function rawHeaders(lines: readonly { key: string; line: string }[]): Map<string, string> {
  const headers = new Map<string, string>();
  for (const { key, line } of lines) {
    const colon = line.indexOf(":");
    if (key === "" || colon === -1 || headers.has(key)) continue;
    headers.set(key, line.slice(colon + 1).replace(/\r?\n(?=[ \t])/g, "").trim());
  }
  return headers;
}

/**
 * Bare message ids from Message-ID, In-Reply-To or References: bracketed ids after dropping
 * comments and quoted strings ("Your message of ..."), else bare tokens that look like ids.
 * Long References keep the first id (the thread root) and the most recent ones.
 */
function idList(value: string | undefined, single: boolean): string[] {
  if (value === undefined) return [];
  const stripped = value.replace(/"(?:[^"\\]|\\.)*"/g, " ").replace(/\([^()]*\)/g, " ");
  let ids = [...stripped.matchAll(/<([^<>]*)>/g)].map((m) => m[1]);
  if (ids.length === 0) {
    const tokens = value.split(/[\s,]+/).map((t) => t.replace(/^[<"'(]+|[>"'),;.]+$/g, ""));
    ids = tokens.filter((t) => t.includes("@") || (single && tokens.length === 1));
  }
  const unique = [
    ...new Set(
      // deno-lint-ignore no-control-regex
      ids.map((id) => id.replace(/[\s\x00-\x1f\x7f]+/g, "")).filter((id) =>
        id !== "" && id.length <= MAX_ID_LENGTH
      ),
    ),
  ];
  return unique.length > MAX_IDS ? [unique[0], ...unique.slice(-(MAX_IDS - 1))] : unique;
}

function toAddresses(value: AddressObject | AddressObject[] | undefined): MailAddress[] {
  if (value === undefined) return [];
  const flat: EmailAddress[] = [];
  const visit = (entries: EmailAddress[]) => {
    for (const entry of entries) {
      if (entry.group) visit(entry.group);
      else flat.push(entry);
    }
  };
  for (const object of Array.isArray(value) ? value : [value]) visit(object.value);
  return flat
    .map((entry) => ({
      address: cleanLine(entry.address ?? "").toLowerCase(),
      name: cleanLine(entry.name ?? "").replace(/^(["'])(.*)\1$/, "$2").trim(),
    }))
    .filter((entry) => normalizeAddress(entry.address) !== null);
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
/** RFC 5322 obsolete zones; other letters mean -0000 ("unknown"). JST is common enough to add. */
// deno-fmt-ignore
const ZONES: Record<string, number> = {
  ut: 0, gmt: 0, z: 0, utc: 0, est: -300, edt: -240, cst: -360, cdt: -300, mst: -420,
  mdt: -360, pst: -480, pdt: -420, jst: 540, kst: 540,
};

/**
 * RFC 5322 date (with obsolete forms: comments, two-digit years, zone names, spaces around ":")
 * to epoch ms; null when it does not read as one. Date.parse alone accepts "garbage 12".
 */
function parseDate(value: string | undefined): number | null {
  if (value === undefined) return null;
  const text = value.replace(/\([^()]*\)/g, " ").replace(/\s*:\s*/g, ":").replace(/\s+/g, " ")
    .trim();
  const rfc =
    /^(?:[a-z]+,? ?)?0*(\d{1,2})[ -]([a-z]{3})[a-z]*\.?[ -](\d{2,4}) (\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?([ap]m)\b)?(?: ?([+-]\d{4}|[a-z]{1,5}))?/i
      .exec(text);
  if (rfc) {
    const [, day, month, year, hour, minute, second, half, zone] = rfc;
    return utc(+year, month, +day, [to24(+hour, half), +minute, +(second ?? 0)], zone);
  }
  // Outlook-style "Thursday, April 09, 2003 9:00 AM" and asctime "Thu Apr 29 23:34:45 2011".
  const monthFirst =
    /^(?:[a-z]+,? )?([a-z]{3})[a-z]* 0*(\d{1,2}),? (?:(\d{4}),? )?(\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?([ap]m))?(?: (\d{4}))?(?: ?([+-]\d{4}|[a-z]{1,5}))?$/i
      .exec(text);
  if (monthFirst && (monthFirst[3] ?? monthFirst[8]) !== undefined) {
    const [, month, day, year, hour, minute, second, half, trailingYear, zone] = monthFirst;
    const time = [to24(+hour, half), +minute, +(second ?? 0)];
    return utc(+(year ?? trailingYear), month, +day, time, zone);
  }
  // ISO 8601 only with a zone: without one Date.parse would use this machine's.
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i.test(text)) {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
}

function to24(hour: number, half: string | undefined): number {
  if (half === undefined) return hour;
  return (hour % 12) + (half.toLowerCase() === "pm" ? 12 : 0);
}

function utc(
  year: number,
  monthName: string,
  day: number,
  [hour, minute, second]: number[],
  zone: string | undefined,
): number | null {
  const month = MONTHS.indexOf(monthName.toLowerCase());
  const fullYear = year < 50 ? 2000 + year : year < 1000 ? 1900 + year : year;
  if (month === -1 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  let offset = 0;
  if (zone !== undefined && /^[+-]\d{4}$/.test(zone)) {
    const minutes = +zone.slice(1, 3) * 60 + +zone.slice(3);
    if (+zone.slice(3) > 59) return null;
    offset = zone[0] === "-" ? -minutes : minutes;
  } else if (zone !== undefined) {
    offset = ZONES[zone.toLowerCase()] ?? 0;
  }
  return Date.UTC(fullYear, month, day, hour, minute, Math.min(second, 59)) - offset * 60_000;
}

function toAttachment(attachment: Attachment, index: number): InboundAttachment {
  const contentType = attachment.contentType.toLowerCase();
  const contentId = (attachment.cid ?? attachment.contentId ?? "").replace(/^<|>$/g, "").trim();
  return {
    filename: safeFilename(attachment.filename, contentType, index),
    contentType,
    contentId: contentId === "" ? null : contentId,
    disposition: attachment.contentDisposition === "inline" ? "inline" : "attachment",
    // A copy: small Buffers share Node's pool, so `.buffer` of a view would expose other data.
    content: new Uint8Array(attachment.content),
  };
}

const EXTENSIONS: Record<string, string> = {
  "text/plain": ".txt",
  "text/html": ".html",
  "text/calendar": ".ics",
  "message/rfc822": ".eml",
  "message/delivery-status": ".txt",
  "image/png": ".png",
  "image/jpeg": ".jpg",
  "image/gif": ".gif",
  "application/pdf": ".pdf",
};

/** A display and download name: no path separators or controls, never empty. */
function safeFilename(filename: string | undefined, contentType: string, index: number): string {
  const cleaned = cleanLine(filename ?? "").replace(/[\\/]+/g, "_").replace(/^\.+/, "")
    .slice(0, 255);
  return cleaned !== "" ? cleaned : `attachment-${index + 1}${EXTENSIONS[contentType] ?? ".bin"}`;
}
