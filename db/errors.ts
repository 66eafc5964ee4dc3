/** Recognising database errors the edges answer differently (a 451 rather than quarantine). */

/** SQLite's primary result codes for "someone else holds the lock": SQLITE_BUSY, SQLITE_LOCKED. */
const BUSY_CODES = new Set([5, 6]);
const BUSY_NAME = /^SQLITE_(BUSY|LOCKED)/;

/**
 * True when err (or an error it wraps) says the database was locked by another connection or
 * process past the busy timeout: a transient condition, worth a "try again later" (SMTP 451),
 * never a verdict on the data.
 */
export function isBusyError(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === "object" && depth < 5; depth++) {
    const { code, extendedCode, rawCode, cause } = e as {
      code?: unknown;
      extendedCode?: unknown;
      rawCode?: unknown;
      cause?: unknown;
    };
    if (typeof code === "string" && BUSY_NAME.test(code)) return true;
    if (typeof extendedCode === "string" && BUSY_NAME.test(extendedCode)) return true;
    // Extended codes keep the primary code in their low byte (SQLITE_BUSY_SNAPSHOT = 517).
    if (typeof rawCode === "number" && BUSY_CODES.has(rawCode & 0xff)) return true;
    e = cause;
  }
  return false;
}
