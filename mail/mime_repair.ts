/**
 * Byte-level repairs mailparser needs before it sees a message, in the top-level header block and
 * in every MIME part's (attachment names are written in raw 8-bit too):
 * - raw 8-bit header bytes that are not UTF-8 are transcoded to UTF-8 in the detected charset
 *   (mail/charset.ts), one detection per header block so a short name gets the subject's
 *   statistics; raw ISO-2022-JP runs (whose "$B" bytes hold "@", ":" and "<" that break address
 *   parsing) are decoded too;
 * - encoded words whose bytes are invalid in their label — Shift_JIS labelled ISO-2022-JP, which
 *   libmime would turn into mojibake and whose 8-bit bytes it drops — become UTF-8 encoded words;
 * - a text part with 8-bit content and no charset (or a 7-bit one: US-ASCII, ISO-2022-JP) gets
 *   the detected charset added to its Content-Type.
 * message/rfc822 parts are left byte for byte: they are kept as attachments.
 */
import {
  canonicalCharset,
  decodeStrayJis,
  decodeStrict,
  detectCharset,
  isUtf8,
} from "./charset.ts";
import { base64Bytes, concatBytes, encodedWordRuns, qpBytes } from "./encoded_word.ts";

interface Field {
  /** Lower-case name. */
  name: string;
  /** Byte offsets of the whole field, folded lines and line ending included. */
  start: number;
  end: number;
}

interface Edit {
  start: number;
  end: number;
  bytes: Uint8Array;
}

const MAX_DEPTH = 16;
/** Enough body to detect a charset; the rest is only checked for validity. */
const SAMPLE_BYTES = 256 * 1024;
const encoder = new TextEncoder();
const utf8 = new TextDecoder();

/** Returns the message with the repairs above applied (the same array when nothing changed). */
export function repairMime(bytes: Uint8Array): Uint8Array {
  // windows-1252 maps each byte to one UTF-16 unit, so string offsets are byte offsets.
  const text = new TextDecoder("latin1").decode(bytes);
  const edits: Edit[] = [];
  const ctx = { bytes, text, edits, declared: [] as string[] };
  const top = readHeader(text, 0, text.length);
  ctx.declared = declaredCharsets(text, top.fields);
  walkPart(ctx, 0, text.length, 0);
  return edits.length === 0 ? bytes : applyEdits(bytes, edits);
}

interface Ctx {
  bytes: Uint8Array;
  text: string;
  edits: Edit[];
  /** Charsets the message declares, the top-level one first. */
  declared: string[];
}

function walkPart(ctx: Ctx, start: number, end: number, depth: number): void {
  const { fields, headerEnd, bodyStart } = readHeader(ctx.text, start, end);
  const contentType = fieldValue(ctx.text, fields, "content-type") ?? "";
  const type = (/^\s*([\w.+-]+\/[\w.+-]+)/.exec(contentType)?.[1] ?? "text/plain").toLowerCase();
  const own = param(contentType, "charset");
  const declared = own ? [own, ...ctx.declared] : ctx.declared;
  const bodyCharset = type.startsWith("text/")
    ? missingBodyCharset(ctx, fields, own, bodyStart, end)
    : null;
  repairFields(ctx, fields, declared, bodyCharset);
  if (bodyCharset !== null && !fields.some((f) => f.name === "content-type")) {
    const eol = ctx.text.slice(start, headerEnd).includes("\r\n") ? "\r\n" : "\n";
    ctx.edits.push({
      start: headerEnd,
      end: headerEnd,
      bytes: encoder.encode(`Content-Type: text/plain; charset=${bodyCharset}${eol}`),
    });
  }
  const boundary = param(contentType, "boundary");
  if (type.startsWith("multipart/") && boundary && depth < MAX_DEPTH) {
    for (const [s, e] of partRanges(ctx.text, bodyStart, end, boundary)) {
      walkPart(ctx, s, e, depth + 1);
    }
  }
}

/** The header fields of a part and where its body starts. */
function readHeader(text: string, start: number, end: number) {
  const fields: Field[] = [];
  let pos = start;
  while (pos < end) {
    const lf = text.indexOf("\n", pos);
    const lineEnd = lf === -1 || lf >= end ? end : lf + 1;
    const line = text.slice(pos, lineEnd);
    if (line === "\n" || line === "\r\n") return { fields, headerEnd: pos, bodyStart: lineEnd };
    const last = fields.at(-1);
    if ((line[0] === " " || line[0] === "\t") && last) last.end = lineEnd;
    else {
      const colon = line.indexOf(":");
      fields.push({
        name: colon === -1 ? "" : line.slice(0, colon).trim().toLowerCase(),
        start: pos,
        end: lineEnd,
      });
    }
    pos = lineEnd;
  }
  return { fields, headerEnd: end, bodyStart: end };
}

function fieldValue(text: string, fields: Field[], name: string): string | undefined {
  const field = fields.find((f) => f.name === name);
  if (!field) return undefined;
  const raw = text.slice(field.start, field.end);
  return raw.slice(raw.indexOf(":") + 1).replace(/\r?\n(?=[ \t])/g, "").trim();
}

function param(value: string, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, "i").exec(value);
  return match ? (match[1] ?? match[2]).trim() : undefined;
}

/** [start, end) of each body part between the boundary's delimiter lines. */
function partRanges(text: string, from: number, end: number, boundary: string): number[][] {
  const delimiter = `--${boundary}`;
  const ranges: number[][] = [];
  let partStart = -1;
  for (let pos = text.indexOf(delimiter, from); pos !== -1 && pos < end;) {
    const atLineStart = pos === 0 || text[pos - 1] === "\n";
    const lf = text.indexOf("\n", pos);
    const lineEnd = lf === -1 || lf >= end ? end : lf + 1;
    const rest = text.slice(pos + delimiter.length, lineEnd).trim();
    if (atLineStart && (rest === "" || rest.startsWith("--"))) {
      if (partStart !== -1) ranges.push([partStart, pos]);
      if (rest.startsWith("--")) return ranges;
      partStart = lineEnd;
    }
    pos = text.indexOf(delimiter, lineEnd);
  }
  if (partStart !== -1 && partStart < end) ranges.push([partStart, end]);
  return ranges;
}

/**
 * The charset to add to a text part whose 8-bit body has no charset, or a 7-bit one it cannot
 * be in; null when the part needs none.
 */
function missingBodyCharset(
  ctx: Ctx,
  fields: Field[],
  own: string | undefined,
  bodyStart: number,
  end: number,
): string | null {
  const label = own === undefined ? null : canonicalCharset(own);
  const sevenBit = own !== undefined && (/^(?:us-)?ascii$/i.test(own) || label === "iso-2022-jp");
  if (own !== undefined && !sevenBit) return null;
  const encoding = (fieldValue(ctx.text, fields, "content-transfer-encoding") ?? "").toLowerCase();
  let body = transferDecode(ctx, bodyStart, end, encoding);
  if (!body.some((b) => b >= 0x80)) return null;
  if (body.byteLength > SAMPLE_BYTES) {
    body = body.subarray(0, body.lastIndexOf(0x0a, SAMPLE_BYTES) + 1 || SAMPLE_BYTES);
  }
  const charset = detectCharset(body, own ? [own, ...ctx.declared] : ctx.declared);
  // Without a label mailparser reads UTF-8 already.
  return charset === "utf-8" && own === undefined ? null : charset;
}

function transferDecode(ctx: Ctx, start: number, end: number, encoding: string): Uint8Array {
  if (encoding === "base64") {
    return base64Bytes(ctx.text.slice(start, Math.min(end, start + SAMPLE_BYTES * 2)));
  }
  if (encoding === "quoted-printable") return qpBytes(ctx.text.slice(start, end), false);
  return ctx.bytes.subarray(start, end);
}

/** Transcodes each header field that needs it; sets the body charset on Content-Type. */
function repairFields(
  ctx: Ctx,
  fields: Field[],
  declared: string[],
  bodyCharset: string | null,
): void {
  const suspect = fields.map((f) => ctx.bytes.subarray(f.start, f.end))
    .filter((b) => b.some((x) => x >= 0x80) && !isUtf8(b));
  // One detection per block: a short display name gets the subject's statistics.
  const blockCharset = suspect.length === 0 ? null : detectCharset(concatBytes(suspect), declared);
  for (const field of fields) {
    const raw = ctx.bytes.subarray(field.start, field.end);
    let value = ctx.text.slice(field.start, field.end);
    let changed = false;
    if (raw.some((b) => b >= 0x80)) {
      if (isUtf8(raw)) value = utf8.decode(raw);
      else {
        value = (blockCharset && decodeStrict(raw, blockCharset)) ??
          new TextDecoder(detectCharset(raw, declared)).decode(raw);
        changed = true;
      }
    } else if (value.includes("\x1b")) {
      value = decodeStrayJis(value);
      changed = true;
    }
    if (value.includes("=?")) {
      const fixed = fixEncodedWords(value, declared);
      changed ||= fixed !== value;
      value = fixed;
    }
    if (bodyCharset !== null && field.name === "content-type") {
      const eol = /\r?\n$/.exec(value)?.[0] ?? "";
      value = value.slice(0, value.length - eol.length)
        .replace(/;\s*charset\s*=\s*(?:"[^"]*"|[^;\s]*)/i, "") + `; charset=${bodyCharset}${eol}`;
      changed = true;
    }
    if (changed) {
      ctx.edits.push({ start: field.start, end: field.end, bytes: encoder.encode(value) });
    }
  }
}

/**
 * Rewrites runs of adjacent encoded words whose 8-bit bytes are invalid in their label as one
 * UTF-8 encoded word.
 */
function fixEncodedWords(value: string, declared: string[]): string {
  let out = "";
  let copied = 0;
  for (const run of encodedWordRuns(value)) {
    const charset = canonicalCharset(run.label);
    if (!run.bytes.some((b) => b >= 0x80)) continue;
    if (charset && decodeStrict(run.bytes, charset) !== null) continue;
    const decoded = new TextDecoder(detectCharset(run.bytes, [run.label, ...declared]))
      .decode(run.bytes);
    out += value.slice(copied, run.start) + `=?UTF-8?B?${base64(encoder.encode(decoded))}?=`;
    copied = run.end;
  }
  return copied === 0 ? value : out + value.slice(copied);
}

function base64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/**
 * Charsets to try for raw 8-bit headers: the top-level Content-Type first, then the legacy
 * charsets declared elsewhere (senders write headers in their body's charset).
 */
function declaredCharsets(text: string, topFields: Field[]): string[] {
  const topLevel = param(fieldValue(text, topFields, "content-type") ?? "", "charset");
  const found = [...text.slice(0, 65536).matchAll(/charset\s*=\s*"?([\w.:-]+)/gi)].map((m) => m[1]);
  return [...new Set([topLevel, ...found])].filter((c): c is string =>
    c !== undefined && !/^(?:(?:us-)?ascii|utf-?8|7bit|8bit)$/i.test(c)
  );
}

function applyEdits(bytes: Uint8Array, edits: Edit[]): Uint8Array {
  edits.sort((a, b) => a.start - b.start);
  const parts: Uint8Array[] = [];
  let copied = 0;
  for (const edit of edits) {
    parts.push(bytes.subarray(copied, edit.start), edit.bytes);
    copied = edit.end;
  }
  parts.push(bytes.subarray(copied));
  return concatBytes(parts);
}
