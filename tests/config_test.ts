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
  assert.equal(c.smtpConnectionsPerClient, 10);
  assert.equal(c.smtpMemoryBytes, 4 * c.maxMessageBytes);
  assert.equal(c.outboxLeaseMs, 60_000);
});

Deno.test("config: the SMTP memory budget follows the message size and cannot be below it", () => {
  const c = loadConfig({ MADOGUCHI_MAX_MESSAGE_BYTES: "1048576" });
  assert.equal(c.smtpMemoryBytes, 4 * 1048576);
  assert.throws(
    () =>
      loadConfig({ MADOGUCHI_MAX_MESSAGE_BYTES: "1048576", MADOGUCHI_SMTP_MEMORY_BYTES: "1000" }),
    (e: unknown) => e instanceof ConfigError && e.variable === "MADOGUCHI_SMTP_MEMORY_BYTES",
  );
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
  [{ MADOGUCHI_SMTP_CONNECTIONS_PER_CLIENT: "0" }, "MADOGUCHI_SMTP_CONNECTIONS_PER_CLIENT"],
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

Deno.test("config: a refusal says what was expected and what was given", () => {
  const message = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (e) {
      return (e as Error).message;
    }
    assert.fail("not refused");
  };
  assert.equal(
    message({ MADOGUCHI_HTTP_PORT: "eighty" }),
    'MADOGUCHI_HTTP_PORT: expected a whole number from 0 to 65535, got "eighty"',
  );
  assert.equal(
    message({ MADOGUCHI_MAIL_DOMAINS: "a.example, Not A Domain" }),
    'MADOGUCHI_MAIL_DOMAINS: "not a domain" is not a domain name',
  );
  assert.equal(
    message({ MADOGUCHI_OUTBOUND_CHARSET: "Shift_JIS" }),
    'MADOGUCHI_OUTBOUND_CHARSET: expected utf-8 or iso-2022-jp, got "shift_jis"',
  );
  assert.equal(
    message({ MADOGUCHI_TRUSTED_PROXIES: "127.0.0.1,proxy" }),
    'MADOGUCHI_TRUSTED_PROXIES: expected IP addresses such as 127.0.0.1 or ::1, got "proxy"',
  );
  assert.equal(
    message({ MADOGUCHI_ADMIN_PASSWORD: "short" }),
    "MADOGUCHI_ADMIN_EMAIL: set both MADOGUCHI_ADMIN_EMAIL and MADOGUCHI_ADMIN_PASSWORD, or neither",
  );
});

Deno.test("config: lists are trimmed, blanks are unset, and origins are normalized", () => {
  const c = loadConfig({
    MADOGUCHI_FORM_ORIGINS: "https://a.example/ ,http://b.example:8080",
    MADOGUCHI_TRUSTED_PROXIES: "127.0.0.1, ::1",
    MADOGUCHI_HTTP_HOST: " ",
    MADOGUCHI_OUTBOUND_CHARSET: " ISO-2022-JP ",
  });
  assert.deepEqual(c.formOrigins, ["https://a.example", "http://b.example:8080"]);
  assert.deepEqual(c.trustedProxies, ["127.0.0.1", "::1"]);
  assert.equal(c.httpHost, "0.0.0.0");
  assert.equal(c.outboundCharset, "iso-2022-jp");
});
