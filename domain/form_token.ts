/**
 * One-time form tokens. A form page carries a token signed with a server secret (HMAC-SHA-256)
 * naming what it is for ("inquiry:3", "reply:17") and when it was issued; nothing is stored when a
 * page is shown, so bots fetching forms cost no database rows. A post is accepted once per token:
 * the submission records the token's hash in the same transaction that creates the ticket or
 * message, and a second post of the same token finds it and is answered with the first result.
 */

/** How long a form may stay open before it must be reloaded. */
export const FORM_TOKEN_MAX_AGE_MS = 24 * 3600_000;

export type FormTokenCheck = "ok" | "expired" | "invalid";

const encoder = new TextEncoder();

/** Imports the base64 server secret as an HMAC key. */
export function formTokenKey(secretBase64: string): Promise<CryptoKey> {
  const raw = Uint8Array.from(atob(secretBase64), (c) => c.charCodeAt(0));
  return crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
    "verify",
  ]);
}

/** A token for one form: `<issued base36>.<random>.<mac>`. */
export async function issueFormToken(key: CryptoKey, purpose: string, now: number) {
  const random = base64url(crypto.getRandomValues(new Uint8Array(16)));
  const body = `${now.toString(36)}.${random}`;
  return `${body}.${await mac(key, `${purpose}|${body}`)}`;
}

/** Checks a posted token's signature, purpose and age. */
export async function verifyFormToken(
  key: CryptoKey,
  token: string,
  purpose: string,
  now: number,
): Promise<FormTokenCheck> {
  const parts = token.split(".");
  if (parts.length !== 3 || !/^[0-9a-z]{1,12}$/.test(parts[0])) return "invalid";
  let signature: Uint8Array;
  try {
    signature = Uint8Array.from(
      atob(parts[2].replaceAll("-", "+").replaceAll("_", "/")),
      (c) => c.charCodeAt(0),
    );
  } catch {
    return "invalid";
  }
  const body = `${parts[0]}.${parts[1]}`;
  // subtle.verify compares in constant time.
  const ok = await crypto.subtle.verify(
    "HMAC",
    key,
    signature as BufferSource,
    encoder.encode(`${purpose}|${body}`),
  );
  if (!ok) return "invalid";
  const issued = parseInt(parts[0], 36);
  if (issued > now + 60_000 || now - issued > FORM_TOKEN_MAX_AGE_MS) return "expired";
  return "ok";
}

/**
 * The thank-you page id for a submitted token: derived, not stored, so a replayed post can be sent
 * to the same page while the database holds only its hash.
 */
export function receiptIdFor(key: CryptoKey, token: string): Promise<string> {
  return mac(key, `receipt|${token}`);
}

async function mac(key: CryptoKey, data: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(data))));
}

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_")
    .replace(/=+$/, "");
}
