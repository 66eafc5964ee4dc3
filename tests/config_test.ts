import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "../config.ts";

Deno.test("config: the embedded defaults need no environment at all", () => {
  const c = loadConfig({});
  assert.equal(c.httpPort, 8000);
  assert.equal(c.smtpPort, 2525);
  assert.equal(c.databaseUrl, "file:./data/madoguchi.db");
  assert.equal(c.publicUrl, "http://localhost:8000");
  assert.deepEqual(c.mailDomains, ["example.test"]);
  assert.equal(c.supportAddress, "support@example.test");
  assert.equal(c.smtpRelayUrl, null);
  assert.equal(c.secureCookies, false);
  assert.equal(c.outboxLeaseMs, 60_000);
});

Deno.test("config: https public URL turns on Secure cookies; the data dir moves the database", () => {
  const c = loadConfig({
    MADOGUCHI_PUBLIC_URL: "https://help.example.co.jp/",
    MADOGUCHI_DATA_DIR: "/data",
    MADOGUCHI_MAIL_DOMAINS: "Example.CO.JP, support.example.com",
  });
  assert.equal(c.secureCookies, true);
  assert.equal(c.publicUrl, "https://help.example.co.jp");
  assert.equal(c.databaseUrl, "file:/data/madoguchi.db");
  assert.deepEqual(c.mailDomains, ["example.co.jp", "support.example.com"]);
});

const bad: [Record<string, string>, string][] = [
  [{ MADOGUCHI_HTTP_PORT: "eighty" }, "MADOGUCHI_HTTP_PORT"],
  [{ MADOGUCHI_SMTP_PORT: "70000" }, "MADOGUCHI_SMTP_PORT"],
  [{ MADOGUCHI_DATABASE_URL: "postgres://x" }, "MADOGUCHI_DATABASE_URL"],
  [{ MADOGUCHI_PUBLIC_URL: "ftp://x" }, "MADOGUCHI_PUBLIC_URL"],
  [{ MADOGUCHI_MAIL_DOMAINS: "not a domain" }, "MADOGUCHI_MAIL_DOMAINS"],
  [{ MADOGUCHI_SUPPORT_ADDRESS: "help@elsewhere.example" }, "MADOGUCHI_SUPPORT_ADDRESS"],
  [{ MADOGUCHI_SMTP_RELAY_URL: "http://relay" }, "MADOGUCHI_SMTP_RELAY_URL"],
  [{ MADOGUCHI_ADMIN_EMAIL: "a@example.test" }, "MADOGUCHI_ADMIN_PASSWORD"],
  [
    { MADOGUCHI_ADMIN_EMAIL: "a@example.test", MADOGUCHI_ADMIN_PASSWORD: "short" },
    "MADOGUCHI_ADMIN_PASSWORD",
  ],
  [{ MADOGUCHI_TIME_ZONE: "Mars/Olympus" }, "MADOGUCHI_TIME_ZONE"],
  [{ MADOGUCHI_MAX_MESSAGE_BYTES: "-1" }, "MADOGUCHI_MAX_MESSAGE_BYTES"],
  [{ MADOGUCHI_OUTBOX_LEASE_SECONDS: "0" }, "MADOGUCHI_OUTBOX_LEASE_SECONDS"],
];

for (const [env, variable] of bad) {
  Deno.test(`config: ${JSON.stringify(env)} is refused naming ${variable}`, () => {
    assert.throws(
      () => loadConfig(env),
      (e: unknown) =>
        e instanceof ConfigError && e.variable === variable && e.message.startsWith(variable),
    );
  });
}
