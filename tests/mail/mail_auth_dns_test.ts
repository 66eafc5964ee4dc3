/**
 * The DNS resolvers of sender authentication against a real (tiny, local) name server over UDP:
 * the `system` resolver starts on the name servers of /etc/resolv.conf and, pointed at the local
 * server, gives the same verdicts as any; a `host:port` setting through the real SMTP socket; and
 * without DNS (a dead or silent server) the verdicts are "temperror"/"none" and the mail is filed.
 */
import assert from "node:assert/strict";
import {
  createAuthenticator,
  dnsResolver,
  guardedResolver,
  nodeResolver,
  resolverFromSetting,
} from "../../mail/mail_auth.ts";
import { startInboundSmtp } from "../../mail/smtp_server.ts";
import type { RawEnvelope } from "../../db/raw_messages.ts";
import type { AuthVerdicts } from "../../domain/mail_auth.ts";
import { rawMail, sendRaw } from "../helpers.ts";
import { closedUdpPort, startFakeDns } from "../dns_server.ts";

const RAW = new TextEncoder().encode(rawMail({
  From: "Taro <taro@example.com>",
  To: "support@example.test",
  Subject: "hi",
  "Message-ID": "<a@example.com>",
}, "hello"));
const SESSION = { ip: "127.0.0.1", helo: "mail.example.com", mailFrom: "taro@example.com" };

const GENUINE = {
  "example.com": "v=spf1 ip4:127.0.0.1 -all",
  "_dmarc.example.com": "v=DMARC1; p=reject",
};
const FORGED = {
  "example.com": "v=spf1 ip4:192.0.2.1 -all",
  "_dmarc.example.com": "v=DMARC1; p=reject",
};

/** The name servers /etc/resolv.conf lists, as node lists them. */
async function resolvConfServers(): Promise<string[]> {
  const text = await Deno.readTextFile("/etc/resolv.conf").catch(() => "");
  return [...text.matchAll(/^\s*nameserver\s+(\S+)/gm)].map((m) => m[1]);
}

Deno.test("dns: the system resolver starts on /etc/resolv.conf's name servers and, pointed at a name server, gives pass and fail verdicts", async () => {
  const dns = await startFakeDns(GENUINE);
  try {
    const system = dnsResolver(null);
    const listed = await resolvConfServers();
    if (listed.length > 0) {
      assert.deepEqual([...new Set(system.getServers())], [...new Set(listed)]);
    }
    // The same resolver, its servers set to ours (what a resolv.conf naming it would do).
    system.setServers([dns.server]);
    const check = createAuthenticator(guardedResolver(nodeResolver(system)), {
      mta: "example.test",
    });
    const pass = await check(RAW, SESSION);
    assert.equal(pass.spf, "pass");
    assert.equal(pass.dmarc, "pass");
    assert.ok(dns.asked.includes("example.com TXT"), "asked over UDP");
    assert.ok(dns.asked.includes("_dmarc.example.com TXT"));

    dns.zone = FORGED;
    const fail = await check(RAW, SESSION);
    assert.equal(fail.spf, "fail");
    assert.equal(fail.dmarc, "fail");

    dns.zone = {};
    const none = await check(RAW, SESSION);
    assert.deepEqual(none, { spf: "none", dkim: "none", dmarc: "none", arc: "none" });
  } finally {
    await dns.close();
  }
});

/** An SMTP listener whose deliveries keep the verdicts; resolves the SMTP answers. */
async function smtpWith(setting: string, timeoutMs = 200) {
  const filed: AuthVerdicts[] = [];
  const smtp = await startInboundSmtp(
    (_raw: Uint8Array, envelope: RawEnvelope) => {
      filed.push(envelope.auth!);
      return Promise.resolve({ kind: "created" as const, ticketNumber: 1000 + filed.length });
    },
    {
      host: "127.0.0.1",
      port: 0,
      mailDomains: ["example.test"],
      maxMessageBytes: 1 << 20,
      maxConnections: 10,
      authenticate: createAuthenticator(
        resolverFromSetting(setting, { timeoutMs, failuresToPause: 2 }),
        { mta: "example.test", deadlineMs: 4 * timeoutMs },
      ),
    },
  );
  return {
    filed,
    send: () => sendRaw(smtp.port, { from: "taro@example.com", to: ["support@example.test"] }, RAW),
    close: () => smtp.close(),
  };
}

Deno.test("dns: MADOGUCHI_DNS_RESOLVER=host:port checks mail on the SMTP session", async () => {
  const dns = await startFakeDns(GENUINE);
  const smtp = await smtpWith(dns.server);
  try {
    assert.match(await smtp.send(), /^250 /);
    dns.zone = FORGED;
    assert.match(await smtp.send(), /^250 /);
    assert.deepEqual(smtp.filed.map((v) => [v.spf, v.dmarc]), [["pass", "pass"], ["fail", "fail"]]);
  } finally {
    await smtp.close();
    await dns.close();
  }
});

Deno.test("dns: a name server that is not there gives temperror and the mail is filed", async () => {
  const smtp = await smtpWith(`127.0.0.1:${await closedUdpPort()}`);
  try {
    assert.match(await smtp.send(), /^250 /);
    assert.match(await smtp.send(), /^250 /);
    for (const v of smtp.filed) {
      assert.ok(["temperror", "none"].includes(v.spf), v.spf);
      assert.ok(["temperror", "none"].includes(v.dmarc), v.dmarc);
    }
  } finally {
    await smtp.close();
  }
});

Deno.test("dns: a name server that never answers: lookups time out, then DNS is skipped without asking", async () => {
  const dns = await startFakeDns({}, { silent: true });
  const smtp = await smtpWith(dns.server, 50);
  try {
    assert.match(await smtp.send(), /^250 /);
    const askedFirst = dns.asked.length;
    assert.ok(askedFirst >= 1 && askedFirst <= 2, `asked ${askedFirst} times before pausing`);
    // Paused: the next mails are checked without a single question (no per-message wait).
    assert.match(await smtp.send(), /^250 /);
    assert.match(await smtp.send(), /^250 /);
    assert.equal(dns.asked.length, askedFirst);
    assert.equal(smtp.filed.length, 3);
    for (const v of smtp.filed) assert.equal(v.spf, "temperror");
  } finally {
    await smtp.close();
    await dns.close();
  }
});

Deno.test("dns: one message's checks stop at the deadline, however slow each lookup", async () => {
  const dns = await startFakeDns({}, { silent: true });
  try {
    // A resolver that waits long per lookup and never pauses: only the deadline ends the check.
    const slow = resolverFromSetting(dns.server, { timeoutMs: 60_000, failuresToPause: 1000 });
    const check = createAuthenticator(slow, { mta: "example.test", deadlineMs: 50 });
    const v = await check(RAW, SESSION);
    assert.deepEqual(v, {
      spf: "temperror",
      dkim: "temperror",
      dmarc: "temperror",
      arc: "temperror",
    });
  } finally {
    await dns.close();
  }
});
