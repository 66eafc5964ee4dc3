/**
 * IMAP pull, for a business that cannot point its MX at Madoguchi: one mailbox is watched (IDLE,
 * with a poll every `pollMs` as fallback) and each new message is filed through the same path as
 * SMTP (`receiveMail`). The last filed UID is saved in the transaction that files the message
 * (imap_state, with the mailbox's UIDVALIDITY), and only after that commit is the message marked
 * \Seen on the server: a restart never files a message twice, and no message is marked seen before
 * it is on our disk. A failure (network, login, a busy database) closes the session and retries
 * after 1, 2, 4 … seconds, at most 5 minutes apart.
 *
 * The IMAP client is behind `ImapSession` (`imapflowSession` is the real one), so the loop is
 * tested against a scripted mailbox.
 */
import { ImapFlow } from "imapflow";
import { imapState, saveImapState } from "../db/import_jobs.ts";
import { importEnvelope } from "../mail/import_envelope.ts";
import type { Runtime } from "../services/context.ts";
import { receiveMail } from "../services/inbound_mail.ts";
import { type ImapTarget, imapTargetKey } from "../domain/imap_target.ts";

export interface ImapSession {
  /** Opens the mailbox; its UIDVALIDITY (when it changes, every UID means another message). */
  open(): Promise<{ uidValidity: string }>;
  /** UIDs above `after`, ascending. */
  uidsAfter(after: number): Promise<number[]>;
  /** The raw message, or null when it is gone (expunged meanwhile). */
  fetch(uid: number): Promise<Uint8Array | null>;
  markSeen(uid: number): Promise<void>;
  /** Resolves when the server reports new mail, after `ms`, or when `signal` aborts. */
  wait(ms: number, signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

export interface ImapPullOptions {
  connect: () => Promise<ImapSession>;
  /** The key of the mailbox's saved state, e.g. imap://user@host:993/INBOX (no password). */
  mailbox: string;
  /** The recipient for every message; else Delivered-To, To and Cc. */
  rcptTo?: string | null;
  pollMs?: number;
  /** The wait before retry `attempt` (0, 1, …); tests pass a quick one. */
  backoff?: (attempt: number, signal: AbortSignal) => Promise<void>;
  log?: (message: string, error?: unknown) => void;
}

export interface ImapPull {
  stop(): Promise<void>;
  /** Resolves after the next pass over the mailbox has filed what it found (tests). */
  passed(): Promise<void>;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

export function startImapPull(rt: Runtime, options: ImapPullOptions): ImapPull {
  const stopping = new AbortController();
  const signal = stopping.signal;
  const pollMs = options.pollMs ?? 60_000;
  const backoff = options.backoff ??
    ((attempt: number, s: AbortSignal) => sleep(Math.min(300_000, 1000 * 2 ** attempt), s));
  const log = options.log ?? ((m: string, e?: unknown) => console.error(m, e ?? ""));
  let waiters: (() => void)[] = [];

  async function pass(session: ImapSession, uidValidity: string) {
    const state = await imapState(rt.store.db, options.mailbox);
    // A new UIDVALIDITY: the old UIDs mean nothing; filed mail comes back as duplicates.
    const last = state?.uidValidity === uidValidity ? state.lastUid : 0;
    for (const uid of await session.uidsAfter(last)) {
      if (signal.aborted) return;
      const raw = await session.fetch(uid);
      if (raw) {
        await receiveMail(rt, raw, importEnvelope(raw, options.rcptTo ?? null), {
          within: ({ tx, now }) =>
            saveImapState(tx, options.mailbox, { uidValidity, lastUid: uid, now }),
        });
        // Committed: only now is it seen.
        await session.markSeen(uid);
      } else {
        await rt.store.writeTx((tx) =>
          saveImapState(tx, options.mailbox, { uidValidity, lastUid: uid, now: rt.now() })
        );
      }
    }
  }

  const done = (async () => {
    let attempt = 0;
    while (!signal.aborted) {
      let session: ImapSession | null = null;
      try {
        session = await options.connect();
        const { uidValidity } = await session.open();
        while (!signal.aborted) {
          await pass(session, uidValidity);
          attempt = 0;
          const woken = waiters;
          waiters = [];
          woken.forEach((w) => w());
          if (signal.aborted) break;
          await session.wait(pollMs, signal);
        }
      } catch (error) {
        if (signal.aborted) break;
        log(`imap ${options.mailbox}: ${error instanceof Error ? error.message : error}`, error);
        await session?.close().catch(() => {});
        session = null;
        await backoff(attempt++, signal);
      } finally {
        await session?.close().catch(() => {});
      }
    }
    waiters.forEach((w) => w());
  })();

  return {
    async stop() {
      stopping.abort();
      await done;
    },
    passed: () => new Promise<void>((resolve) => waiters.push(resolve)),
  };
}

/** The parts of MADOGUCHI_IMAP_URL: imaps://user:pass@host:993/INBOX. */
export function parseImapUrl(url: string): ImapTarget & { key: string } {
  const u = new URL(url);
  const secure = u.protocol === "imaps:";
  const port = Number(u.port || (secure ? 993 : 143));
  const mailbox = decodeURIComponent(u.pathname.replace(/^\//, "")) || "INBOX";
  const user = decodeURIComponent(u.username);
  const target = {
    host: u.hostname,
    port,
    secure,
    user,
    pass: decodeURIComponent(u.password),
    mailbox,
  };
  /** The state key: the address without the password. */
  return { ...target, key: imapTargetKey(target) };
}

/** A session over imapflow (pinned in deno.json), to MADOGUCHI_IMAP_URL or a saved target. */
export function imapflowSession(
  to: string | ImapTarget,
  options: { timeoutMs?: number } = {},
): () => Promise<ImapSession> {
  const c = typeof to === "string" ? parseImapUrl(to) : to;
  const timeoutMs = options.timeoutMs ?? 30_000;
  return async () => {
    const client = new ImapFlow({
      host: c.host,
      port: c.port,
      secure: c.secure,
      auth: { user: c.user, pass: c.pass },
      logger: false,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
    });
    let newMail: (() => void) | null = null;
    client.on("exists", () => newMail?.());
    client.on("error", () => {}); // surfaced by the next command
    await client.connect();
    return {
      async open() {
        const box = await client.mailboxOpen(c.mailbox);
        return { uidValidity: String(box.uidValidity) };
      },
      async uidsAfter(after) {
        const found = await client.search({ uid: `${after + 1}:*` }, { uid: true });
        return (found || []).filter((uid) => uid > after).sort((a, b) => a - b);
      },
      async fetch(uid) {
        const msg = await client.fetchOne(String(uid), { source: true }, { uid: true });
        return msg && msg.source ? new Uint8Array(msg.source) : null;
      },
      async markSeen(uid) {
        await client.messageFlagsAdd(String(uid), ["\\Seen"], { uid: true });
      },
      wait(ms, signal) {
        // IDLE now (imapflow would only start it after 15 s of quiet); it emits "exists" on new
        // mail, and the next command ends the IDLE.
        if (client.usable) client.idle().catch(() => {});
        return new Promise<void>((resolve) => {
          const timer = setTimeout(done, ms);
          function done() {
            clearTimeout(timer);
            newMail = null;
            signal.removeEventListener("abort", done);
            resolve();
          }
          newMail = done;
          signal.addEventListener("abort", done, { once: true });
          if (!client.usable) done();
        });
      },
      async close() {
        await client.logout().catch(() => client.close());
      },
    };
  };
}
