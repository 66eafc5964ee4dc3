/** RFC 2047 encoded words: finding runs of them, their bytes, and decoding them to text. */
import { canonicalCharset, decodeStrict, detectCharset } from "./charset.ts";

const ENCODED_WORD = /=\?([^?\s*]+)(?:\*[^?\s]*)?\?([bBqQ])\?([^?\s]*)\?=/g;

/** A run of adjacent encoded words with one label (whitespace between them is not text). */
export interface WordRun {
  start: number;
  end: number;
  label: string;
  bytes: Uint8Array;
}

/** The runs of encoded words in a header value; mailers split a character across words. */
export function encodedWordRuns(value: string): WordRun[] {
  const words = [...value.matchAll(ENCODED_WORD)];
  const runs: WordRun[] = [];
  for (let i = 0; i < words.length;) {
    let j = i + 1;
    while (
      j < words.length && words[j][1].toLowerCase() === words[i][1].toLowerCase() &&
      /^\s*$/.test(value.slice(words[j - 1].index + words[j - 1][0].length, words[j].index))
    ) j++;
    const run = words.slice(i, j);
    i = j;
    const last = run.at(-1)!;
    runs.push({
      start: run[0].index,
      end: last.index + last[0].length,
      label: run[0][1],
      bytes: concatBytes(run.map(([, , kind, payload]) => wordBytes(kind, payload))),
    });
  }
  return runs;
}

/** Header text with its encoded words decoded (an unknown label stays as written). */
export function decodeEncodedWords(value: string): string {
  let out = "";
  let copied = 0;
  for (const run of encodedWordRuns(value)) {
    const label = canonicalCharset(run.label);
    if (label === null) continue;
    const charset = decodeStrict(run.bytes, label) !== null
      ? label
      : detectCharset(run.bytes, [run.label]);
    const between = value.slice(copied, run.start);
    // Whitespace between an encoded word and the next is not text (RFC 2047 §6.2).
    out += (copied > 0 && /^\s+$/.test(between) ? "" : between) +
      new TextDecoder(charset === "utf-8" ? "utf-8" : charset).decode(run.bytes);
    copied = run.end;
  }
  return out + value.slice(copied);
}

function wordBytes(kind: string, payload: string): Uint8Array {
  return kind.toLowerCase() === "q" ? qpBytes(payload, true) : base64Bytes(payload);
}

/** Lenient base64: stray characters skipped, missing padding tolerated. */
export function base64Bytes(text: string): Uint8Array {
  let clean = text.replace(/[^A-Za-z0-9+/]/g, "");
  if (clean.length % 4 === 1) clean = clean.slice(0, -1);
  try {
    const binary = atob(clean.padEnd(Math.ceil(clean.length / 4) * 4, "="));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return new Uint8Array();
  }
}

/** Quoted-printable (or the Q encoding, where "_" is a space) to bytes. */
export function qpBytes(text: string, q: boolean): Uint8Array {
  const source = q ? text : text.replace(/=\r?\n/g, "");
  const out: number[] = [];
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    const hex = c === "=" ? source.slice(i + 1, i + 3) : "";
    if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
      out.push(parseInt(hex, 16));
      i += 2;
    } else out.push(q && c === "_" ? 0x20 : source.charCodeAt(i) & 0xff);
  }
  return Uint8Array.from(out);
}

export function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}
