/** Sender authentication with injected DNS: verdicts, no DNS, a dead resolver, a crash. */
import assert from "node:assert/strict";
import { createAuthenticator, type DnsResolve, guardedResolver } from "../../mail/mail_auth.ts";

const RAW = new TextEncoder().encode(
  "From: Taro <taro@example.com>\r\nTo: support@example.test\r\nSubject: hi\r\n" +
    "Message-ID: <a@example.com>\r\nDate: Tue, 1 Dec 2026 10:00:00 +0000\r\n\r\nhello\r\n",
);
const SESSION = { ip: "127.0.0.1", helo: "mail.example.com", mailFrom: "taro@example.com" };

function dnsError(code: string) {
  return Object.assign(new Error(code), { code });
}

/** A zone of TXT records; every other name does not exist. */
function zone(txt: Record<string, string>): DnsResolve {
  return (name, rrtype) => {
    if (rrtype === "TXT" && txt[name]) return Promise.resolve([[txt[name]]]);
    return Promise.reject(dnsError("ENOTFOUND"));
  };
}

Deno.test("mail auth: SPF pass aligned with From passes DMARC", async () => {
  const check = createAuthenticator(
    zone({
      "example.com": "v=spf1 ip4:127.0.0.1 -all",
      "_dmarc.example.com": "v=DMARC1; p=reject",
    }),
    { mta: "example.test" },
  );
  const v = await check(RAW, SESSION);
  assert.equal(v.spf, "pass");
  assert.equal(v.dmarc, "pass");
  assert.equal(v.dkim, "none");
});

Deno.test("mail auth: a forged From (SPF fail, DMARC p=reject) fails DMARC", async () => {
  const check = createAuthenticator(
    zone({ "example.com": "v=spf1 -all", "_dmarc.example.com": "v=DMARC1; p=reject" }),
    { mta: "example.test" },
  );
  const v = await check(RAW, SESSION);
  assert.equal(v.spf, "fail");
  assert.equal(v.dmarc, "fail");
});

Deno.test("mail auth: no DNS records gives none; an unreachable resolver gives temperror", async () => {
  const none = await createAuthenticator(zone({}), { mta: "example.test" })(RAW, SESSION);
  assert.deepEqual(none, { spf: "none", dkim: "none", dmarc: "none", arc: "none" });
  const down = createAuthenticator(() => Promise.reject(dnsError("ECONNREFUSED")), {
    mta: "example.test",
  });
  const v = await down(RAW, SESSION);
  assert.equal(v.spf, "temperror");
  assert.equal(v.dmarc, "temperror");
});

Deno.test("mail auth: resolver off checks nothing; a checker crash gives temperror, not an error", async () => {
  assert.equal(
    (await createAuthenticator(null, { mta: "example.test" })(RAW, SESSION)).spf,
    "none",
  );
  const crash = createAuthenticator(() => {
    throw new Error("boom");
  }, { mta: "example.test" });
  const v = await crash(RAW, SESSION);
  assert.ok(["temperror", "none"].includes(v.spf));
});

Deno.test("mail auth: a resolver that never answers times out, then is skipped without being asked", async () => {
  let asked = 0;
  let now = 0;
  const hang: DnsResolve = () => {
    asked++;
    return new Promise(() => {});
  };
  const resolve = guardedResolver(hang, {
    timeoutMs: 5,
    failuresToPause: 2,
    pauseMs: 60_000,
    now: () => now,
  });
  for (let i = 0; i < 2; i++) {
    await assert.rejects(resolve("example.com", "TXT"), { code: "ETIMEOUT" });
  }
  assert.equal(asked, 2);
  // Paused: further lookups fail at once, the resolver is not asked (no per-message delay).
  const check = createAuthenticator(resolve, { mta: "example.test" });
  const v = await check(RAW, SESSION);
  assert.equal(v.spf, "temperror");
  assert.equal(asked, 2);
  // After the pause the resolver is tried again.
  now += 60_001;
  await assert.rejects(resolve("example.com", "TXT"), { code: "ETIMEOUT" });
  assert.equal(asked, 3);
});

Deno.test("mail auth: a name that does not exist does not count as a resolver failure", async () => {
  let asked = 0;
  const resolve = guardedResolver(() => {
    asked++;
    return Promise.reject(dnsError("ENOTFOUND"));
  }, { failuresToPause: 1, now: () => 0 });
  for (let i = 0; i < 3; i++) await assert.rejects(resolve("x.example", "TXT"));
  assert.equal(asked, 3);
});
