/** Unguessable tokens and their storage hashes. */
import { createHash } from "node:crypto";

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

/** 128 random bits as 26 lower-case base32 characters: safe in mail local parts and URLs. */
export function newReplyToken(): string {
  return base32(crypto.getRandomValues(new Uint8Array(16)));
}

/** 256 random bits as base64url: session ids and API tokens. */
export function newSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_")
    .replace(/=+$/, "");
}

/**
 * SHA-256 hex of a secret: what we store, so a leaked database does not leak live sessions.
 * Synchronous node:crypto (see sha256Hex): every page and API call hashes its session or token,
 * and subtle.digest's async machinery was a tenth of an inbox page's main-thread time.
 */
export function hashSecret(secret: string): Promise<string> {
  return Promise.resolve(createHash("sha256").update(secret, "utf8").digest("hex"));
}

/**
 * SHA-256 hex of bytes. node:crypto's synchronous hash, not crypto.subtle: for a mail-sized input
 * subtle.digest costs ~70 µs of main-thread time in Deno (its async op machinery), this ~5 µs.
 */
export function sha256Hex(bytes: Uint8Array): Promise<string> {
  return Promise.resolve(createHash("sha256").update(bytes).digest("hex"));
}

function base32(bytes: Uint8Array): string {
  let out = "";
  let bits = 0;
  let value = 0;
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}
