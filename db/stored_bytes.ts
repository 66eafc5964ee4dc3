/**
 * Bytes kept in the database compressed when that pays: raw inbound mail and sent outbound mail
 * are kept for durability and quarantine but rarely read again. Each row says how its bytes are
 * stored (`identity` or `gzip`), so rows written before compression stay readable as they are.
 */
import { gunzipSync, gzipSync } from "node:zlib";

export type ByteEncoding = "identity" | "gzip";

/** Bytes dropped by retention (loops/housekeeping.ts): the row remains, its content is empty. */
export const DROPPED = "dropped";

/** Below this size the gzip header costs more than it saves. */
const MIN_BYTES = 256;

/** The bytes as stored: gzip when it saves at least a tenth, else as they are. */
export function packBytes(bytes: Uint8Array): { data: Uint8Array; encoding: ByteEncoding } {
  if (bytes.byteLength < MIN_BYTES) return { data: bytes, encoding: "identity" };
  const gz = gzipSync(bytes, { level: 6 });
  return gz.byteLength <= bytes.byteLength * 0.9
    ? { data: new Uint8Array(gz.buffer, gz.byteOffset, gz.byteLength), encoding: "gzip" }
    : { data: bytes, encoding: "identity" };
}

/** The original bytes of a stored value. */
export function unpackBytes(
  data: Uint8Array,
  encoding: string | null | undefined,
): Uint8Array<ArrayBuffer> {
  // A copy either way: callers get a plain ArrayBuffer-backed array of their own.
  if (encoding === DROPPED) return new Uint8Array(0);
  return new Uint8Array(encoding === "gzip" ? gunzipSync(data) : data);
}
