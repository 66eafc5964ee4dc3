/**
 * Typed configuration from the environment. Every variable is prefixed `MADOGUCHI_` and documented in
 * README.md; an invalid value stops start-up with a message naming the variable.
 */
import * as v from "valibot";
import { parseIp } from "./domain/client_address.ts";

export interface Config {
  httpHost: string;
  httpPort: number;
  smtpHost: string;
  smtpPort: number;
  dataDir: string;
  databaseUrl: string;
  databaseAuthToken: string | null;
  publicUrl: string;
  mailDomains: string[];
  /** The address customers write to and our replies come from. */
  supportAddress: string;
  smtpRelayUrl: string | null;
  /** IMAP pull (loops/imap_pull.ts): imaps://user:pass@host:993/INBOX, or null. */
  imapUrl: string | null;
  imapPollSeconds: number;
  maxMessageBytes: number;
  maxSmtpConnections: number;
  /** SMTP connections one client address (an IPv6 /64) may hold at once. */
  smtpConnectionsPerClient: number;
  /** Bytes of inbound mail held in memory at once, across all SMTP connections. */
  smtpMemoryBytes: number;
  subjectTagPrefix: string;
  adminEmail: string | null;
  adminPassword: string | null;
  /** The zone dates are shown in. */
  timeZone: string;
  /** Display name on outbound mail. */
  fromName: string;
  /** Whether cookies get the Secure flag: on when the public URL is https. */
  secureCookies: boolean;
  /** Other sites (origins) whose pages may post the inquiry form to us. */
  formOrigins: string[];
  /** Charset of outbound mail: UTF-8, or ISO-2022-JP for old Japanese mobile clients. */
  outboundCharset: "utf-8" | "iso-2022-jp";
  /** Reverse proxies (IP addresses) whose X-Forwarded-For names the client. */
  trustedProxies: string[];
  /** How long a dead process's in-flight outbox mail waits before another worker sends it. */
  outboxLeaseMs: number;
  /** Automatic mail strangers can trigger, per recipient domain and in total, per hour. */
  autoMailCaps: { perDomainPerHour: number; perHour: number };
  /** DNS for SPF/DKIM/DMARC/ARC: "system", "off", or a name server `host[:port]`. */
  dnsResolver: string;
  /** One DNS lookup's limit. */
  dnsTimeoutMs: number;
  /** Days raw mail of a resolved ticket is kept after its last change; null: for ever. */
  rawRetentionDays: number | null;
  /** Bearer token for GET /metrics; without it /metrics answers only loopback clients. */
  metricsToken: string | null;
  /** Workers that run slow reads (search, reports, exports) off the main thread; 0: none. */
  readWorkers: number;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

/** `got "…"` in a message: the value as the operator typed it. */
const got = (issue: { input: unknown }) => `got "${issue.input}"`;

function wholeNumber(fallback: number, min: number, max: number) {
  return v.pipe(
    v.optional(v.string(), String(fallback)),
    v.check(
      (s) => Number.isInteger(Number(s)) && Number(s) >= min && Number(s) <= max,
      (i) => `expected a whole number from ${min} to ${max}, ${got(i)}`,
    ),
    v.transform(Number),
  );
}

function isUrl(s: string, protocols: string[]): boolean {
  try {
    return protocols.includes(new URL(s).protocol);
  } catch {
    return false;
  }
}

/** A comma-separated list, each item trimmed and checked by `item`. */
function list<T>(item: v.GenericSchema<string, T>, fallback = "") {
  return v.pipe(
    v.optional(v.string(), fallback),
    v.transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean)),
    v.array(item),
  );
}

const originItem = v.pipe(
  v.string(),
  v.check((o) => {
    if (!isUrl(o, ["http:", "https:"])) return false;
    return new URL(o).origin === o.replace(/\/$/, "");
  }, (i) => `expected origins such as https://www.example.co.jp, ${got(i)}`),
  v.transform((o) => new URL(o).origin),
);

/** Reads and validates configuration; throws ConfigError naming the bad variable. */
export function loadConfig(env: Env = Deno.env.toObject()): Config {
  /** One variable (blank counts as unset) through its schema; the first problem names it. */
  const read = <T>(name: string, schema: v.GenericSchema<string | undefined, T>): T => {
    const raw = env[`MADOGUCHI_${name}`]?.trim() || undefined;
    const result = v.safeParse(schema, raw);
    if (!result.success) throw new ConfigError(`MADOGUCHI_${name}`, result.issues[0].message);
    return result.output;
  };
  const optionalText = v.optional(v.string());

  const httpPort = read("HTTP_PORT", wholeNumber(8000, 0, 65535));
  const smtpPort = read("SMTP_PORT", wholeNumber(2525, 0, 65535));
  const dataDir = read("DATA_DIR", v.optional(v.string(), "./data"));
  const databaseUrl = read(
    "DATABASE_URL",
    v.pipe(
      v.optional(v.string(), `file:${dataDir.replace(/\/$/, "")}/madoguchi.db`),
      v.regex(
        /^(file:|libsql:|https?:|wss?:)/,
        (i) => `expected a libSQL URL (file:…, libsql://…, http(s)://…), ${got(i)}`,
      ),
    ),
  );
  const publicUrl = read(
    "PUBLIC_URL",
    v.pipe(
      v.optional(v.string(), `http://localhost:${httpPort}`),
      v.check((s) => isUrl(s, ["http:", "https:"]), (i) => `expected an http(s) URL, ${got(i)}`),
      v.transform((s) => new URL(s)),
    ),
  );
  const mailDomains = read(
    "MAIL_DOMAINS",
    list(
      v.pipe(
        v.string(),
        v.toLowerCase(),
        v.regex(
          /^[a-z0-9.-]+\.[a-z0-9-]+$|^localhost$/,
          (i) => `"${i.input}" is not a domain name`,
        ),
      ),
      "example.test",
    ),
  );
  const supportAddress = read(
    "SUPPORT_ADDRESS",
    v.pipe(
      v.optional(v.string(), `support@${mailDomains[0]}`),
      v.toLowerCase(),
      v.check(
        (a) => mailDomains.includes(a.split("@")[1] ?? ""),
        (i) => `"${i.input}" must be at one of MADOGUCHI_MAIL_DOMAINS`,
      ),
    ),
  );
  const smtpRelayUrl = read(
    "SMTP_RELAY_URL",
    v.optional(v.pipe(
      v.string(),
      v.check(
        (s) => isUrl(s, ["smtp:", "smtps:"]),
        "expected smtp://user:pass@host:port or smtps://…",
      ),
    )),
  ) ?? null;
  const imapUrl = read(
    "IMAP_URL",
    v.optional(v.pipe(
      v.string(),
      v.check(
        (s) => isUrl(s, ["imap:", "imaps:"]) && new URL(s).username !== "",
        "expected imaps://user:pass@host:993/INBOX or imap://…",
      ),
    )),
  ) ?? null;

  const adminEmail = read("ADMIN_EMAIL", optionalText) ?? null;
  if ((adminEmail === null) !== (read("ADMIN_PASSWORD", optionalText) === undefined)) {
    throw new ConfigError(
      adminEmail === null ? "MADOGUCHI_ADMIN_EMAIL" : "MADOGUCHI_ADMIN_PASSWORD",
      "set both MADOGUCHI_ADMIN_EMAIL and MADOGUCHI_ADMIN_PASSWORD, or neither",
    );
  }
  const adminPassword = read(
    "ADMIN_PASSWORD",
    v.optional(v.pipe(v.string(), v.minLength(10, "must be at least 10 characters"))),
  ) ?? null;

  const timeZone = read(
    "TIME_ZONE",
    v.pipe(
      v.optional(v.string(), "Asia/Tokyo"),
      v.check((timeZone) => {
        try {
          new Intl.DateTimeFormat("en", { timeZone });
          return true;
        } catch {
          return false;
        }
      }, (i) => `unknown time zone "${i.input}"`),
    ),
  );
  const outboundCharset = read(
    "OUTBOUND_CHARSET",
    v.pipe(
      v.optional(v.string(), "utf-8"),
      v.toLowerCase(),
      v.picklist(["utf-8", "iso-2022-jp"], (i) => `expected utf-8 or iso-2022-jp, ${got(i)}`),
    ),
  );
  const formOrigins = read("FORM_ORIGINS", list(originItem));
  const trustedProxies = read(
    "TRUSTED_PROXIES",
    list(v.pipe(
      v.string(),
      v.check(
        (p) => parseIp(p) !== undefined,
        (i) => `expected IP addresses such as 127.0.0.1 or ::1, ${got(i)}`,
      ),
    )),
  );

  const maxMessageBytes = read(
    "MAX_MESSAGE_BYTES",
    wholeNumber(25 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
  );
  // Below one message's size, a message of the allowed size could never be received.
  const smtpMemoryBytes = read(
    "SMTP_MEMORY_BYTES",
    wholeNumber(4 * maxMessageBytes, maxMessageBytes, Number.MAX_SAFE_INTEGER),
  );

  return {
    timeZone,
    formOrigins,
    trustedProxies,
    outboundCharset,
    fromName: read("FROM_NAME", v.optional(v.string(), "サポート窓口")),
    httpHost: read("HTTP_HOST", v.optional(v.string(), "0.0.0.0")),
    httpPort,
    smtpHost: read("SMTP_HOST", v.optional(v.string(), "0.0.0.0")),
    smtpPort,
    dataDir,
    databaseUrl,
    databaseAuthToken: read("DATABASE_AUTH_TOKEN", optionalText) ?? null,
    publicUrl: publicUrl.href.replace(/\/$/, ""),
    mailDomains,
    supportAddress,
    smtpRelayUrl,
    imapUrl,
    imapPollSeconds: read("IMAP_POLL_SECONDS", wholeNumber(60, 5, 86400)),
    maxMessageBytes,
    maxSmtpConnections: read("MAX_SMTP_CONNECTIONS", wholeNumber(100, 1, 10000)),
    smtpConnectionsPerClient: read("SMTP_CONNECTIONS_PER_CLIENT", wholeNumber(10, 1, 10000)),
    smtpMemoryBytes,
    outboxLeaseMs: read("OUTBOX_LEASE_SECONDS", wholeNumber(60, 1, 86_400)) * 1000,
    autoMailCaps: {
      perDomainPerHour: read("AUTO_MAIL_PER_DOMAIN_PER_HOUR", wholeNumber(30, 0, 1_000_000)),
      perHour: read("AUTO_MAIL_PER_HOUR", wholeNumber(300, 0, 1_000_000)),
    },
    dnsResolver: read(
      "DNS_RESOLVER",
      v.pipe(
        v.optional(v.string(), "system"),
        v.check(
          (s) =>
            s === "system" || s === "off" ||
            /^(\[[0-9a-f:]+\]|[0-9.]+|[0-9a-f:]+)(:\d+)?$/i.test(s),
          (i) => `expected "system", "off" or a name server such as 127.0.0.1:53, ${got(i)}`,
        ),
      ),
    ),
    dnsTimeoutMs: read("DNS_TIMEOUT_MS", wholeNumber(1000, 50, 30_000)),
    metricsToken: read("METRICS_TOKEN", optionalText) ?? null,
    readWorkers: read("READ_WORKERS", wholeNumber(2, 0, 8)),
    rawRetentionDays: env.MADOGUCHI_RAW_RETENTION_DAYS === undefined
      ? null
      : read("RAW_RETENTION_DAYS", wholeNumber(0, 1, 36_500)),
    subjectTagPrefix: read("SUBJECT_TAG", v.optional(v.string(), "#")),
    adminEmail: adminEmail?.toLowerCase() ?? null,
    adminPassword,
    secureCookies: publicUrl.protocol === "https:",
  };
}
