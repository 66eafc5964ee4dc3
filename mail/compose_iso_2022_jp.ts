/**
 * A single-part text/plain mail in ISO-2022-JP, written by hand: nodemailer's MailComposer only
 * writes UTF-8 and re-encodes any body holding ESC as base64 or quoted-printable, while old
 * Japanese phones expect `charset=ISO-2022-JP` with `Content-Transfer-Encoding: 7bit`.
 * Headers carry RFC 2047 `=?ISO-2022-JP?B?…?=` words; lines are folded at 76 characters.
 */
import type { MailAddress } from "../domain/inbound_message.ts";
import { encodedWords, encodeIso2022Jp } from "./iso_2022_jp.ts";

export interface PlainMailParts {
  from: MailAddress;
  to: MailAddress[];
  cc?: MailAddress[];
  replyTo: string;
  subject: string;
  date: Date;
  /** Without brackets, like every id here. */
  messageId: string;
  inReplyTo: string | null;
  references: string[];
  /** Extra ASCII headers, e.g. X-Madoguchi-Ticket. */
  headers: Record<string, string>;
  text: string;
}

const MAX_LINE = 76;
/** RFC 5322's hard limit; a longer 7bit line would be broken by relays. */
const MAX_7BIT_LINE = 998;

/** The mail's bytes, or null when some character has no ISO-2022-JP form (send UTF-8 then). */
export function buildIso2022JpMail(m: PlainMailParts): Uint8Array | null {
  const subject = headerText(m.subject);
  const from = address(m.from);
  const to = m.to.map(address);
  const cc = (m.cc ?? []).map(address);
  const lines = m.text.replace(/\r\n?/g, "\n").split("\n").map(encodeIso2022Jp);
  if (
    subject === null || from === null || to.includes(null) || cc.includes(null) ||
    lines.includes(null)
  ) return null;
  const body = lines as Uint8Array[];
  const inReplyTo = m.inReplyTo && token(m.inReplyTo);
  const references = m.references.map(token).filter(Boolean);

  const head = [
    fold("From", from),
    fold("To", addressList(to as string[][])),
    ...(cc.length ? [fold("Cc", addressList(cc as string[][]))] : []),
    fold("Reply-To", [token(m.replyTo)]),
    fold("Subject", subject),
    `Message-ID: <${token(m.messageId)}>`,
    ...(inReplyTo ? [`In-Reply-To: <${inReplyTo}>`] : []),
    ...(references.length ? [fold("References", references.map((r) => `<${r}>`))] : []),
    ...Object.entries(m.headers).map(([k, v]) =>
      // deno-lint-ignore no-control-regex
      fold(fieldName(k), v.split(/[\x00-\x20\x7f]+/).filter(Boolean))
    ),
    `Date: ${m.date.toUTCString().replace(/GMT$/, "+0000")}`,
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=ISO-2022-JP",
  ];
  const sevenBit = body.every((line) => line.length <= MAX_7BIT_LINE);
  head.push(`Content-Transfer-Encoding: ${sevenBit ? "7bit" : "base64"}`);

  const crlf = Uint8Array.of(0x0d, 0x0a);
  const parts: Uint8Array[] = [new TextEncoder().encode(head.join("\r\n") + "\r\n\r\n")];
  if (sevenBit) {
    for (const line of body) parts.push(line, crlf);
  } else {
    // Very long paragraphs: base64 keeps them intact where a hard wrap would change the text.
    const joined = concat(body.flatMap((line) => [line, crlf]));
    const b64 = btoa(Array.from(joined, (b) => String.fromCharCode(b)).join(""));
    parts.push(
      new TextEncoder().encode(b64.replace(/.{76}/g, "$&\r\n").replace(/\r\n$/, "") + "\r\n"),
    );
  }
  return concat(parts);
}

/**
 * An address or message id as one header token. Ids come from other people's mail: a CR/LF in one
 * would end our header line and start a header of theirs, so control characters and spaces go.
 */
function token(value: string): string {
  // deno-lint-ignore no-control-regex
  return value.replace(/[\x00-\x20\x7f]+/g, "");
}

/** A header field name: printable ASCII except the colon (RFC 5322 §2.2). */
function fieldName(name: string): string {
  return name.replace(/[^\x21-\x39\x3b-\x7e]+/g, "") || "X-Invalid";
}

/** Encoded words when the value is not plain ASCII, else its space-separated words. */
function headerText(value: string): string[] | null {
  // deno-lint-ignore no-control-regex
  const clean = value.replace(/[\x00-\x1f\x7f]+/g, " ");
  return /^[\x20-\x7e]*$/.test(clean) ? clean.split(" ").filter(Boolean) : encodedWords(clean);
}

/** `name <address>` as header tokens: a plain, quoted or encoded display name. */
function address(a: MailAddress): string[] | null {
  // deno-lint-ignore no-control-regex
  const name = a.name.replace(/[\x00-\x1f\x7f]+/g, " ").trim();
  const addr = token(a.address);
  if (name === "") return [addr];
  if (/^[\w ]*$/.test(name)) return [...name.split(/\s+/), `<${addr}>`];
  if (/^[\x20-\x7e]*$/.test(name)) return [`"${name.replace(/["\\]/g, "\\$&")}"`, `<${addr}>`];
  const words = encodedWords(name);
  return words && [...words, `<${addr}>`];
}

/** Address token lists joined with commas: `a <a@x>, b <b@x>`. */
function addressList(addresses: string[][]): string[] {
  return addresses.flatMap((tokens, i) =>
    i === addresses.length - 1 ? tokens : [...tokens.slice(0, -1), `${tokens.at(-1)},`]
  );
}

/** `Name: tok tok …` folded before a token when the line would pass 76 characters. */
function fold(name: string, tokens: string[]): string {
  let out = `${name}:`;
  let lineLength = out.length;
  for (const token of tokens) {
    if (lineLength + 1 + token.length > MAX_LINE && lineLength > name.length + 1) {
      out += `\r\n ${token}`;
      lineLength = 1 + token.length;
    } else {
      out += ` ${token}`;
      lineLength += 1 + token.length;
    }
  }
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
