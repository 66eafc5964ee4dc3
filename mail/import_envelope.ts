/**
 * The SMTP envelope an imported message would have had: MAIL FROM from Return-Path (or From),
 * RCPT TO from Delivered-To (or To and Cc), unless the import names the recipient.
 */
import type { RawEnvelope } from "../db/raw_messages.ts";

const ADDRESS = /[^\s<>()",;:@]+@[^\s<>()",;:@]+\.[^\s<>()",;:@]+/g;

/** The header fields of a raw message (unfolded, Latin-1 read), lower-case names. */
export function headerFields(raw: Uint8Array): Map<string, string[]> {
  let end = raw.length;
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] !== 10) continue;
    if (raw[i + 1] === 10 || (raw[i + 1] === 13 && raw[i + 2] === 10)) {
      end = i;
      break;
    }
  }
  const text = new TextDecoder("latin1").decode(raw.subarray(0, Math.min(end, 256 * 1024)));
  const fields = new Map<string, string[]>();
  for (const line of text.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    fields.set(name, [...fields.get(name) ?? [], line.slice(colon + 1).trim()]);
  }
  return fields;
}

function addresses(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.match(ADDRESS) ?? []).map((a) => a.toLowerCase());
}

export function importEnvelope(raw: Uint8Array, to: string | null): RawEnvelope {
  const fields = headerFields(raw);
  const returnPath = fields.get("return-path")?.[0];
  const mailFrom = returnPath !== undefined && /^<\s*>$/.test(returnPath)
    ? null
    : addresses(returnPath === undefined ? fields.get("from") : [returnPath])[0] ??
      addresses(fields.get("from"))[0] ?? null;
  let rcptTo = to ? [to.toLowerCase()] : addresses(fields.get("delivered-to"));
  if (rcptTo.length === 0) {
    rcptTo = [...new Set([...addresses(fields.get("to")), ...addresses(fields.get("cc"))])];
  }
  return { mailFrom, rcptTo, remoteAddress: null };
}
