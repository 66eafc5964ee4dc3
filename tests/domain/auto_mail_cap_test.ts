import assert from "node:assert/strict";
import { autoMailCapRefusal, mailboxKey } from "../../domain/auto_mail_cap.ts";

Deno.test("auto-mail cap: sub-addresses and case fold into one mailbox", () => {
  assert.deepEqual(mailboxKey("Victim+1@Example.NET"), {
    key: "victim@example.net",
    domain: "example.net",
  });
  assert.equal(mailboxKey(" victim+a+b@example.net ").key, "victim@example.net");
  assert.equal(mailboxKey("+tag@example.net").key, "+tag@example.net");
  assert.equal(mailboxKey("victim@example.net").key, "victim@example.net");
});

Deno.test("auto-mail cap: the mailbox, then the domain, then the total refuse", () => {
  const limits = { perAddress: 3, perDomainPerHour: 10, perHour: 100 };
  assert.equal(autoMailCapRefusal({ toAddress: 2, toDomain: 9, total: 99 }, limits), null);
  assert.equal(autoMailCapRefusal({ toAddress: 3, toDomain: 0, total: 0 }, limits), "per_address");
  assert.equal(autoMailCapRefusal({ toAddress: 0, toDomain: 10, total: 0 }, limits), "per_domain");
  assert.equal(autoMailCapRefusal({ toAddress: 0, toDomain: 0, total: 100 }, limits), "global");
});
