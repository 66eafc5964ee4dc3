/** Shared test fixtures: a fresh migrated database file, a test config, an SMTP sink, a mailer. */
// @ts-types="@types/smtp-server"
import { SMTPServer } from "smtp-server";
// @ts-types="@types/nodemailer"
import nodemailer from "nodemailer";
import { type Config, loadConfig } from "../config.ts";
import { openStore, type Store } from "../db/client.ts";

/** A config for tests: ephemeral ports, a temp data dir, example.test as our domain. */
export function testConfig(dataDir: string, env: Record<string, string> = {}): Config {
  return loadConfig({
    MADOGUCHI_HTTP_HOST: "127.0.0.1",
    MADOGUCHI_HTTP_PORT: "0",
    MADOGUCHI_SMTP_HOST: "127.0.0.1",
    MADOGUCHI_SMTP_PORT: "0",
    MADOGUCHI_DATA_DIR: dataDir,
    MADOGUCHI_MAIL_DOMAINS: "example.test",
    MADOGUCHI_PUBLIC_URL: "http://localhost",
    // No DNS in tests: sender authentication is tested with injected resolvers.
    MADOGUCHI_DNS_RESOLVER: "off",
    ...env,
  });
}

/** A fresh database file in a temp dir; `cleanup` closes it and removes the dir. */
export async function tempStore(): Promise<
  { store: Store; dir: string; cleanup(): Promise<void> }
> {
  const dir = await Deno.makeTempDir({ prefix: "madoguchi-test-" });
  const store = await openStore(`file:${dir}/test.db`);
  return {
    store,
    dir,
    async cleanup() {
      await store.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

export interface CapturedMail {
  from: string | null;
  to: string[];
  raw: string;
}

/** An SMTP server on a free loopback port that records every message it receives. */
export async function startSmtpSink(): Promise<
  {
    port: number;
    url: string;
    messages: CapturedMail[];
    next(): Promise<CapturedMail>;
    close(): Promise<void>;
  }
> {
  const messages: CapturedMail[] = [];
  let waiters: ((m: CapturedMail) => void)[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    disableReverseLookup: true,
    onAuth: (_auth, _session, cb) => cb(null, { user: "test" }),
    onData(stream, session, cb) {
      const chunks: Uint8Array[] = [];
      stream.on("data", (c: Uint8Array) => chunks.push(c));
      stream.on("end", () => {
        const raw = new TextDecoder().decode(
          chunks.reduce((a, c) => {
            const out = new Uint8Array(a.length + c.length);
            out.set(a);
            out.set(c, a.length);
            return out;
          }, new Uint8Array()),
        );
        const mail = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
        };
        messages.push(mail);
        const w = waiters;
        waiters = [];
        w.forEach((f) => f(mail));
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const addr = server.server.address();
  const port = typeof addr === "object" && addr ? addr.port : 0;
  let seen = 0;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    next() {
      if (messages.length > seen) return Promise.resolve(messages[seen++]);
      return new Promise((r) => waiters.push((m) => (seen++, r(m))));
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Sends raw bytes over real SMTP to host:port; resolves with the server's final response. */
export async function sendRaw(
  port: number,
  envelope: { from: string; to: string[] },
  raw: string | Uint8Array,
): Promise<string> {
  const transport = nodemailer.createTransport({
    host: "127.0.0.1",
    port,
    secure: false,
    ignoreTLS: true,
  });
  try {
    const info = await transport.sendMail({ envelope, raw: raw as string });
    return info.response;
  } finally {
    transport.close();
  }
}

/** A raw RFC 5322 message from header lines and a body, CRLF-joined. */
export function rawMail(headers: Record<string, string>, body: string): string {
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}`);
  return [...lines, "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "", body]
    .join("\r\n");
}
