/**
 * Which legacy charset do 8-bit bytes the sender did not (or wrongly) label belong to?
 *
 * A single-byte charset decodes any bytes, so "the first declared charset that works" turns
 * GB2312, Big5 or EUC-KR into Latin-1 noise; and old Japanese mailers label Shift_JIS as
 * ISO-2022-JP, a 7-bit charset those bytes cannot be. So: a multi-byte charset the message
 * declares (ISO-2022-JP standing for its 8-bit siblings Shift_JIS and EUC-JP) wins when the bytes
 * are valid in it; otherwise a multi-byte charset the bytes are valid in wins over the declared
 * single-byte one when chardet's statistics favour it; otherwise the declared single-byte one, or
 * windows-1252, which maps every byte so nothing is lost to U+FFFD. Decoding uses the WHATWG
 * decoders (Shift_JIS is CP932 there, with NEC and IBM extensions, as Windows writes it).
 */
import chardet from "chardet";

const MULTI_BYTE = new Set([
  "shift_jis",
  "euc-jp",
  "iso-2022-jp",
  "gbk",
  "gb18030",
  "big5",
  "euc-kr",
]);
/** Japanese first: on a tie in the statistics (short text), the earlier one is chosen. */
const GUESS_ORDER = ["shift_jis", "euc-jp", "gb18030", "big5", "euc-kr"];
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** The WHATWG name of a charset label ("x-sjis" → "shift_jis"), or null when unknown. */
export function canonicalCharset(label: string): string | null {
  try {
    return new TextDecoder(label.trim()).encoding;
  } catch {
    return null;
  }
}

/** Text of bytes in a charset, or null when the bytes are invalid in it (or it is unknown). */
export function decodeStrict(bytes: Uint8Array, charset: string): string | null {
  try {
    return new TextDecoder(charset, { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** True when every byte is ASCII or the whole is valid UTF-8. */
export function isUtf8(bytes: Uint8Array): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * The charset 8-bit bytes are most likely in, given the labels the message declares (most
 * relevant first): "utf-8" for valid UTF-8, else a WHATWG name the bytes decode in without error
 * (windows-1252 at worst).
 */
export function detectCharset(bytes: Uint8Array, declared: readonly string[]): string {
  if (isUtf8(bytes)) return "utf-8";
  const labels: string[] = [];
  for (const label of declared) {
    const charset = canonicalCharset(label);
    if (charset === null || charset === "utf-8" || charset === "utf-16le") continue;
    labels.push(charset);
    // ISO-2022-JP is 7-bit: 8-bit bytes labelled so are Shift_JIS or EUC-JP.
    if (charset === "iso-2022-jp") labels.push("shift_jis", "euc-jp");
  }
  const valid = validity(bytes);
  const confidence = chardetConfidence(bytes);
  const declaredMulti = unique(labels.filter((c) => MULTI_BYTE.has(c) && valid(c)));
  if (declaredMulti.length > 0) return mostLikely(declaredMulti, confidence);
  const single = labels.find((c) => !MULTI_BYTE.has(c) && valid(c)) ?? "windows-1252";
  const guessed = GUESS_ORDER.filter(valid);
  if (guessed.length > 0) {
    const best = mostLikely(guessed, confidence);
    if ((confidence.get(best) ?? 0) > (confidence.get(single) ?? 0)) return best;
  }
  return single;
}

/** Decodes 8-bit bytes in the detected charset (see detectCharset). */
export function decodeLegacy(bytes: Uint8Array, declared: readonly string[]): string {
  return new TextDecoder(detectCharset(bytes, declared)).decode(bytes);
}

/**
 * Whether bytes decode in a charset: without error, or for long text (a body) with at most one
 * bad sequence in a hundred 8-bit bytes, since spam and old gateways break the odd character.
 */
function validity(bytes: Uint8Array): (charset: string) => boolean {
  let high = 0;
  for (const b of bytes) if (b >= 0x80) high++;
  return (charset) => {
    if (decodeStrict(bytes, charset) !== null) return true;
    if (high < 100) return false;
    let errors = 0;
    for (const c of new TextDecoder(charset).decode(bytes)) if (c === "\ufffd") errors++;
    return errors * 100 <= high;
  };
}

/** chardet's confidence (0–100) by WHATWG charset name. */
function chardetConfidence(bytes: Uint8Array): Map<string, number> {
  const out = new Map<string, number>();
  for (const match of chardet.analyse(bytes)) {
    const charset = canonicalCharset(match.name);
    if (charset !== null && !out.has(charset)) out.set(charset, match.confidence);
  }
  // chardet names GBK text GB18030; both decode GB2312 alike.
  if (out.has("gb18030") && !out.has("gbk")) out.set("gbk", out.get("gb18030")!);
  return out;
}

/** The candidate chardet trusts most; ties go to the earlier candidate. */
function mostLikely(candidates: string[], confidence: Map<string, number>): string {
  let best = candidates[0];
  for (const c of candidates) if ((confidence.get(c) ?? 0) > (confidence.get(best) ?? 0)) best = c;
  return best;
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}

/** Decodes ISO-2022-JP runs left in already decoded text; other text is untouched. */
export function decodeStrayJis(text: string): string {
  if (!text.includes("\x1b")) return text;
  // Only ASCII runs can hold JIS bytes; splitting keeps the scan linear.
  // deno-lint-ignore no-control-regex
  return text.split(/([^\x00-\x7f]+)/).map((run) => {
    // deno-lint-ignore no-control-regex
    if (!/\x1b(?:\$[@B]|\$\(D|\([BIJ])/.test(run)) return run;
    const bytes = Uint8Array.from(run, (c) => c.charCodeAt(0));
    return new TextDecoder("iso-2022-jp").decode(bytes);
  }).join("");
}
