/**
 * ISO-2022-JP (RFC 1468) for outbound mail, for the old Japanese phones and mailers that read
 * nothing else (`MADOGUCHI_OUTBOUND_CHARSET=iso-2022-jp`).
 *
 * encoding-japanese does the table work the way Japanese mailers write it (CP50220: JIS X 0208 plus
 * NEC row 13 such as ① and ㈱ and the NEC-selected IBM extensions such as 髙; U+FF5E ～ as 1-33),
 * which is also what our parser reads back. What it would get wrong for mail is handled here:
 * - half-width katakana have no place in ISO-2022-JP (ESC ( I is not part of it), so they become
 *   full-width first: ｱｲｳ → アイウ, ｶﾞ → ガ. The text reads the same and the mail stays valid;
 * - U+2014 and U+00A5 are what Japanese text means by ― and ￥ but are not in the table under
 *   those code points, so they become U+2015 and U+FFE5;
 * - anything else outside the repertoire (emoji, €, é — the encoder would emit "?" or JIS X 0212)
 *   makes `encodeIso2022Jp` answer null, and the caller sends UTF-8 instead: nothing is lost.
 */
import Encoding from "encoding-japanese";

const ESC = 0x1b;
/** Encoded-word payload limit: "Subject: " + "=?ISO-2022-JP?B?" + 48 base64 + "?=" is 75. */
const WORD_BYTES = 36;

/** The text as it will read after an ISO-2022-JP round trip (see the module comment). */
export function toIso2022JpRepertoire(text: string): string {
  return Encoding.toZenkanaCase(text).replace(/\u2014/g, "\u2015").replace(/\u00a5/g, "\uffe5");
}

/** ISO-2022-JP bytes ending in ASCII mode, or null when a character has no ISO-2022-JP form. */
export function encodeIso2022Jp(text: string): Uint8Array | null {
  let codes: number[];
  try {
    codes = Encoding.convert(Encoding.stringToCode(toIso2022JpRepertoire(text)), {
      to: "JIS",
      from: "UNICODE",
      type: "array",
      fallback: "error",
    });
  } catch {
    return null;
  }
  const bytes = Uint8Array.from(codes);
  // JIS X 0212 (ESC $ ( D) and half-width katakana (ESC ( I) are not ISO-2022-JP.
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] !== ESC) continue;
    const next = String.fromCharCode(bytes[i + 1], bytes[i + 2]);
    if (next === "$(" || next === "(I") return null;
  }
  return bytes;
}

/**
 * RFC 2047 `=?ISO-2022-JP?B?…?=` words for a header value, each self-contained (it starts and
 * ends in ASCII mode) and short enough for a 76-character line; null when not encodable.
 * Whitespace between adjacent encoded words is ignored by readers, so the words are split only
 * at character boundaries and every space of the text stays inside a word.
 */
export function encodedWords(text: string): string[] | null {
  const words: string[] = [];
  let chunk = "";
  let chunkBytes: Uint8Array | null = null;
  for (const ch of toIso2022JpRepertoire(text)) {
    const bytes = encodeIso2022Jp(chunk + ch);
    if (bytes === null) return null;
    if (bytes.length > WORD_BYTES && chunkBytes !== null) {
      words.push(encodedWord(chunkBytes));
      chunk = ch;
      chunkBytes = encodeIso2022Jp(ch);
    } else {
      chunk += ch;
      chunkBytes = bytes;
    }
  }
  if (chunkBytes !== null && chunk !== "") words.push(encodedWord(chunkBytes));
  return words;
}

function encodedWord(bytes: Uint8Array): string {
  return `=?ISO-2022-JP?B?${btoa(String.fromCharCode(...bytes))}?=`;
}
