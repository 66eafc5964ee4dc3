/**
 * What went wrong with a mail's delivery, in words an agent understands. The relay's raw error
 * ("connect ECONNREFUSED 127.0.0.1:12632", "550 5.1.1 <x@y>: user unknown") is a detail for the
 * tooltip; the page says what it means and what happens next. Pure: the raw text in, a kind out.
 */

export type DeliveryProblem =
  | "unreachable"
  | "timeout"
  | "auth"
  | "tls"
  | "refused"
  | "bounced"
  | "bad_address"
  | "suppressed"
  | "other";

/** The kind of a stored delivery error; null when there is none. */
export function deliveryProblem(lastError: string | null): DeliveryProblem | null {
  if (!lastError) return null;
  const e = lastError.toLowerCase();
  if (e.startsWith("not sent: the address bounced")) return "suppressed";
  if (e.startsWith("bounced:")) return "bounced";
  if (e.startsWith("invalid recipient address")) return "bad_address";
  if (/econnrefused|enotfound|eai_again|ehostunreach|enetunreach|econnreset|epipe/.test(e)) {
    return "unreachable";
  }
  if (/etimedout|timeout|timed out/.test(e)) return "timeout";
  if (/eauth|\b535\b|\b534\b|authentication|auth failed/.test(e)) return "auth";
  if (/tls|ssl|certificate|self[- ]signed/.test(e)) return "tls";
  if (/(^|\D)5\d\d(\D|$)|\b5\.\d\.\d/.test(e)) return "refused";
  return "other";
}

/** The SMTP reply code in a refusal ("550", "5.1.1"), for the agent to quote to the customer. */
export function refusalCode(lastError: string | null): string | null {
  if (!lastError) return null;
  return /\b5\.\d{1,3}\.\d{1,3}\b/.exec(lastError)?.[0] ?? /\b5\d\d\b/.exec(lastError)?.[0] ??
    null;
}
