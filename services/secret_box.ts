/**
 * Secrets kept in the database sealed (AES-256-GCM under the `settings_key` app secret that
 * migration 0023 created): a copy of the database alone does not give away a mailbox password.
 */
import { findAppSecret } from "../db/app_secrets.ts";
import type { Db, Tx } from "../db/client.ts";

async function key(db: Db | Tx): Promise<CryptoKey> {
  const secret = await findAppSecret(db as Db, "settings_key");
  if (!secret) throw new Error("settings_key is missing (migration 0023)");
  const raw = Uint8Array.from(atob(secret), (c) => c.charCodeAt(0));
  return await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
}

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

/** base64(iv ‖ ciphertext) of the text. */
export async function seal(db: Db | Tx, text: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const data = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv },
    await key(db),
    new TextEncoder().encode(text),
  );
  const out = new Uint8Array(12 + data.byteLength);
  out.set(iv);
  out.set(new Uint8Array(data), 12);
  return b64(out);
}

/** The text of a sealed value. */
export async function unseal(db: Db | Tx, sealed: string): Promise<string> {
  const bytes = Uint8Array.from(atob(sealed), (c) => c.charCodeAt(0));
  const data = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: bytes.subarray(0, 12) },
    await key(db),
    bytes.subarray(12),
  );
  return new TextDecoder().decode(data);
}
