/**
 * Sender authentication verdicts of one received mail (SPF, DKIM, DMARC, ARC), as computed on the
 * SMTP session (mail/mail_auth.ts). "none" when nothing could be checked (no DNS, no signature).
 */

export const AUTH_RESULTS = [
  "pass",
  "fail",
  "softfail",
  "neutral",
  "none",
  "temperror",
  "permerror",
  "policy",
] as const;
export type AuthResult = typeof AUTH_RESULTS[number];

export interface AuthVerdicts {
  spf: AuthResult;
  /** The best DKIM result among the signatures ("pass" if any passed). */
  dkim: AuthResult;
  dmarc: AuthResult;
  arc: AuthResult;
}

/** Verdicts when no check ran. */
export const NO_VERDICTS: AuthVerdicts = { spf: "none", dkim: "none", dmarc: "none", arc: "none" };

/** A result string from the checker, or "none" for anything unknown. */
export function toAuthResult(s: unknown): AuthResult {
  const v = typeof s === "string" ? s.toLowerCase() : "";
  return (AUTH_RESULTS as readonly string[]).includes(v) ? v as AuthResult : "none";
}

/** The best of several DKIM results: one passing signature is enough. */
export function bestDkim(results: AuthResult[]): AuthResult {
  const order: AuthResult[] = ["pass", "fail", "policy", "permerror", "temperror", "neutral"];
  for (const r of order) if (results.includes(r)) return r;
  return "none";
}

/**
 * The From domain is not aligned with a passing SPF or DKIM and its owner publishes DMARC: the
 * From is likely forged, so we must not mail it automatically.
 */
export function failsAlignment(v: AuthVerdicts | null | undefined): boolean {
  return v?.dmarc === "fail";
}
