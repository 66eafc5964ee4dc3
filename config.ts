/**
 * Typed configuration from the environment. Every variable is prefixed `MADOGUCHI_` and documented in
 * README.md; an invalid value stops start-up with a message naming the variable.
 */
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
  maxMessageBytes: number;
  maxSmtpConnections: number;
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
}

export class ConfigError extends Error {
  constructor(readonly variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

/** Reads and validates configuration; throws ConfigError naming the bad variable. */
export function loadConfig(env: Env = Deno.env.toObject()): Config {
  const get = (name: string) => {
    const v = env[`MADOGUCHI_${name}`];
    return v === undefined || v.trim() === "" ? undefined : v.trim();
  };
  const int = (name: string, fallback: number, min: number, max: number) => {
    const raw = get(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new ConfigError(
        `MADOGUCHI_${name}`,
        `expected a whole number from ${min} to ${max}, got "${raw}"`,
      );
    }
    return n;
  };

  const httpPort = int("HTTP_PORT", 8000, 0, 65535);
  const smtpPort = int("SMTP_PORT", 2525, 0, 65535);
  const dataDir = get("DATA_DIR") ?? "./data";
  const databaseUrl = get("DATABASE_URL") ?? `file:${dataDir.replace(/\/$/, "")}/madoguchi.db`;
  if (!/^(file:|libsql:|https?:|wss?:)/.test(databaseUrl)) {
    throw new ConfigError(
      "MADOGUCHI_DATABASE_URL",
      `expected a libSQL URL (file:…, libsql://…, http(s)://…), got "${databaseUrl}"`,
    );
  }

  const publicUrlRaw = get("PUBLIC_URL") ?? `http://localhost:${httpPort}`;
  let publicUrl: URL;
  try {
    publicUrl = new URL(publicUrlRaw);
    if (publicUrl.protocol !== "http:" && publicUrl.protocol !== "https:") throw new Error();
  } catch {
    throw new ConfigError("MADOGUCHI_PUBLIC_URL", `expected an http(s) URL, got "${publicUrlRaw}"`);
  }

  const mailDomains = (get("MAIL_DOMAINS") ?? "example.test")
    .split(",").map((d) => d.trim().toLowerCase()).filter(Boolean);
  for (const d of mailDomains) {
    if (!/^[a-z0-9.-]+\.[a-z0-9-]+$|^localhost$/.test(d)) {
      throw new ConfigError("MADOGUCHI_MAIL_DOMAINS", `"${d}" is not a domain name`);
    }
  }
  const supportAddress = (get("SUPPORT_ADDRESS") ?? `support@${mailDomains[0]}`).toLowerCase();
  if (!mailDomains.includes(supportAddress.split("@")[1] ?? "")) {
    throw new ConfigError(
      "MADOGUCHI_SUPPORT_ADDRESS",
      `"${supportAddress}" must be at one of MADOGUCHI_MAIL_DOMAINS`,
    );
  }

  const smtpRelayUrl = get("SMTP_RELAY_URL") ?? null;
  if (smtpRelayUrl !== null) {
    try {
      const u = new URL(smtpRelayUrl);
      if (u.protocol !== "smtp:" && u.protocol !== "smtps:") throw new Error();
    } catch {
      throw new ConfigError(
        "MADOGUCHI_SMTP_RELAY_URL",
        "expected smtp://user:pass@host:port or smtps://…",
      );
    }
  }

  const adminEmail = get("ADMIN_EMAIL") ?? null;
  const adminPassword = get("ADMIN_PASSWORD") ?? null;
  if ((adminEmail === null) !== (adminPassword === null)) {
    throw new ConfigError(
      adminEmail === null ? "MADOGUCHI_ADMIN_EMAIL" : "MADOGUCHI_ADMIN_PASSWORD",
      "set both MADOGUCHI_ADMIN_EMAIL and MADOGUCHI_ADMIN_PASSWORD, or neither",
    );
  }
  if (adminPassword !== null && adminPassword.length < 10) {
    throw new ConfigError("MADOGUCHI_ADMIN_PASSWORD", "must be at least 10 characters");
  }

  const timeZone = get("TIME_ZONE") ?? "Asia/Tokyo";
  try {
    new Intl.DateTimeFormat("en", { timeZone });
  } catch {
    throw new ConfigError("MADOGUCHI_TIME_ZONE", `unknown time zone "${timeZone}"`);
  }

  const outboundCharset = (get("OUTBOUND_CHARSET") ?? "utf-8").toLowerCase();
  if (outboundCharset !== "utf-8" && outboundCharset !== "iso-2022-jp") {
    throw new ConfigError(
      "MADOGUCHI_OUTBOUND_CHARSET",
      `expected utf-8 or iso-2022-jp, got "${outboundCharset}"`,
    );
  }

  const formOrigins = (get("FORM_ORIGINS") ?? "").split(",").map((o) => o.trim())
    .filter(Boolean).map((o) => {
      let url: URL | undefined;
      try {
        url = new URL(o);
      } catch {
        // reported below
      }
      if (
        !url || (url.protocol !== "http:" && url.protocol !== "https:") ||
        url.origin !== o.replace(/\/$/, "")
      ) {
        throw new ConfigError(
          "MADOGUCHI_FORM_ORIGINS",
          `expected origins such as https://www.example.co.jp, got "${o}"`,
        );
      }
      return url.origin;
    });

  const trustedProxies = (get("TRUSTED_PROXIES") ?? "").split(",").map((p) => p.trim())
    .filter(Boolean);
  for (const p of trustedProxies) {
    if (!parseIp(p)) {
      throw new ConfigError(
        "MADOGUCHI_TRUSTED_PROXIES",
        `expected IP addresses such as 127.0.0.1 or ::1, got "${p}"`,
      );
    }
  }

  return {
    timeZone,
    formOrigins,
    trustedProxies,
    outboundCharset,
    fromName: get("FROM_NAME") ?? "サポート窓口",
    httpHost: get("HTTP_HOST") ?? "0.0.0.0",
    httpPort,
    smtpHost: get("SMTP_HOST") ?? "0.0.0.0",
    smtpPort,
    dataDir,
    databaseUrl,
    databaseAuthToken: get("DATABASE_AUTH_TOKEN") ?? null,
    publicUrl: publicUrl.href.replace(/\/$/, ""),
    mailDomains,
    supportAddress,
    smtpRelayUrl,
    maxMessageBytes: int("MAX_MESSAGE_BYTES", 25 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    maxSmtpConnections: int("MAX_SMTP_CONNECTIONS", 100, 1, 10000),
    outboxLeaseMs: int("OUTBOX_LEASE_SECONDS", 60, 1, 86_400) * 1000,
    subjectTagPrefix: get("SUBJECT_TAG") ?? "#",
    adminEmail: adminEmail?.toLowerCase() ?? null,
    adminPassword,
    secureCookies: publicUrl.protocol === "https:",
  };
}
