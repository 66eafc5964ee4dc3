import assert from "node:assert/strict";
import {
  normaliseRulePattern,
  patternMatches,
  scoreSpam,
  type SpamRule,
} from "../../domain/spam.ts";
import { NO_VERDICTS } from "../../domain/mail_auth.ts";

const mail = (over: Partial<Parameters<typeof scoreSpam>[0]> = {}) => ({
  sender: "taro@mail.example.com",
  subject: "ご確認",
  text: "本文",
  auth: NO_VERDICTS,
  ...over,
});

Deno.test("spam score: no verdicts and no rules is not spam", () => {
  assert.deepEqual(scoreSpam(mail({ auth: null }), []), { spam: false, score: 0, reasons: [] });
});

Deno.test("spam score: DMARC fail alone is spam; SPF softfail alone is not", () => {
  assert.equal(scoreSpam(mail({ auth: { ...NO_VERDICTS, dmarc: "fail" } }), []).spam, true);
  assert.equal(scoreSpam(mail({ auth: { ...NO_VERDICTS, spf: "softfail" } }), []).spam, false);
});

Deno.test("spam score: deny by domain matches subdomains; allow wins over everything", () => {
  const rules: SpamRule[] = [{ id: 1, kind: "deny", pattern: "example.com" }];
  assert.deepEqual(scoreSpam(mail(), rules).reasons, ["deny:example.com"]);
  assert.equal(scoreSpam(mail(), rules).spam, true);
  const allowed = [...rules, { id: 2, kind: "allow" as const, pattern: "taro@mail.example.com" }];
  assert.equal(
    scoreSpam(mail({ auth: { ...NO_VERDICTS, dmarc: "fail" } }), allowed).spam,
    false,
  );
  assert.equal(patternMatches("example.com", "x@notexample.com"), false);
});

Deno.test("spam score: keywords match full-width and case variants; two make spam", () => {
  const rules: SpamRule[] = [
    { id: 1, kind: "keyword", pattern: normaliseRulePattern("keyword", "当選") },
    { id: 2, kind: "keyword", pattern: normaliseRulePattern("keyword", "BITCOIN") },
  ];
  const v = scoreSpam(
    mail({ subject: "ご当選のお知らせ", text: "ｂｉｔｃｏｉｎ で受け取り" }),
    rules,
  );
  assert.deepEqual(v.reasons, ["keyword:当選", "keyword:bitcoin"]);
  assert.equal(v.spam, true);
  assert.equal(normaliseRulePattern("deny", " @Example.COM "), "example.com");
});
