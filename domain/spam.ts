/**
 * Whether a new inbound mail goes to 迷惑メール: a score from the sender-authentication verdicts
 * and the admins' rules (allow or deny an address or a domain; keywords). Nothing is dropped:
 * spam is filed as a ticket in the spam folder, which an agent can move back.
 */
import type { AuthVerdicts } from "./mail_auth.ts";

export const SPAM_RULE_KINDS = ["allow", "deny", "keyword"] as const;
export type SpamRuleKind = typeof SPAM_RULE_KINDS[number];

export interface SpamRule {
  id: number;
  kind: SpamRuleKind;
  /** For allow/deny: an address (`a@b.jp`) or a domain (`b.jp`, also matching subdomains). */
  pattern: string;
}

/** A score at or above this files the mail as spam. */
export const SPAM_THRESHOLD = 5;

/** Points per finding. */
export const SPAM_POINTS = {
  dmarcFail: 5,
  dkimFail: 2,
  spfFail: 2,
  spfSoftfail: 1,
  keyword: 3,
  deny: 10,
  allow: -100,
} as const;

export interface SpamVerdict {
  spam: boolean;
  score: number;
  /** Why, e.g. `dmarc=fail`, `deny:example.net`, `keyword:当選`. */
  reasons: string[];
}

/** Normalises a rule pattern as typed by an admin: lower case, no spaces, no leading `@`. */
export function normaliseRulePattern(kind: SpamRuleKind, pattern: string): string {
  const p = pattern.trim();
  if (kind === "keyword") return p.normalize("NFKC").toLowerCase();
  return p.toLowerCase().replace(/^@/, "");
}

/** Whether an allow/deny pattern matches the address (exactly, by domain, or a subdomain). */
export function patternMatches(pattern: string, address: string): boolean {
  const a = address.toLowerCase();
  if (pattern.includes("@")) return a === pattern;
  const domain = a.slice(a.lastIndexOf("@") + 1);
  return domain === pattern || domain.endsWith(`.${pattern}`);
}

/** Scores one mail. */
export function scoreSpam(
  mail: { sender: string; subject: string; text: string; auth: AuthVerdicts | null },
  rules: SpamRule[],
): SpamVerdict {
  let score = 0;
  const reasons: string[] = [];
  const add = (points: number, reason: string) => {
    score += points;
    reasons.push(reason);
  };
  const { auth } = mail;
  if (auth?.dmarc === "fail") add(SPAM_POINTS.dmarcFail, "dmarc=fail");
  if (auth?.dkim === "fail") add(SPAM_POINTS.dkimFail, "dkim=fail");
  if (auth?.spf === "fail") add(SPAM_POINTS.spfFail, "spf=fail");
  if (auth?.spf === "softfail") add(SPAM_POINTS.spfSoftfail, "spf=softfail");
  const haystack = `${mail.subject}\n${mail.text.slice(0, 20_000)}`.normalize("NFKC")
    .toLowerCase();
  for (const r of rules) {
    if (r.kind === "keyword") {
      if (r.pattern && haystack.includes(r.pattern)) {
        add(SPAM_POINTS.keyword, `keyword:${r.pattern}`);
      }
    } else if (patternMatches(r.pattern, mail.sender)) {
      add(r.kind === "allow" ? SPAM_POINTS.allow : SPAM_POINTS.deny, `${r.kind}:${r.pattern}`);
    }
  }
  return { spam: score >= SPAM_THRESHOLD, score, reasons };
}
