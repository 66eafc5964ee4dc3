/**
 * Access keys for the status-check page: what a customer types together with the inquiry number.
 *
 * A key is 16 characters of Crockford base32 (80 random bits), shown as XXXX-XXXX-XXXX-XXXX. We
 * store only its SHA-256: with 80 bits of entropy an offline search of a leaked database is out of
 * reach (2^80 hashes), so the slow argon2id that protects human-chosen passwords would only add
 * 19 MiB and tens of milliseconds to every attempt on an unauthenticated page. Online guessing is
 * bounded by the per-address and per-number lockouts in routes/status.tsx.
 */

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const KEY_LENGTH = 16;

/** A fresh random access key, grouped for reading aloud and typing. */
export function newAccessKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(KEY_LENGTH));
  // 256 is a multiple of 32, so `b & 31` is uniform.
  const chars = Array.from(bytes, (b) => ALPHABET[b & 31]).join("");
  return chars.match(/.{4}/g)!.join("-");
}

/**
 * The canonical form of what a customer typed: upper case, without spaces or dashes, full-width
 * characters folded, and the look-alikes O→0, I/L→1 mapped as Crockford's base32 does; null when
 * it cannot be a key.
 */
export function normalizeAccessKey(input: string): string | null {
  const s = input.normalize("NFKC").toUpperCase().replace(/[\s\-‐-―ー]/g, "")
    .replaceAll("O", "0").replace(/[IL]/g, "1");
  if (s.length !== KEY_LENGTH) return null;
  for (const ch of s) if (!ALPHABET.includes(ch)) return null;
  return s;
}

/** SHA-256 hex of a normalized key. */
export async function hashAccessKey(normalized: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(normalized));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Compares two hex digests in time independent of where they differ. */
export function sameDigest(a: string, b: string): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    diff |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  }
  return diff === 0;
}
