/**
 * Which mailbox the IMAP pull reads, and restarting it when that changes: MADOGUCHI_IMAP_URL if
 * set (it wins), else the settings saved on the admin page (/admin/imap) when switched on. The
 * admin page calls `apply()` after saving and `test()` for its 接続テスト button.
 */
import type { ImapTarget } from "../domain/imap_target.ts";
import { imapTargetKey } from "../domain/imap_target.ts";
import type { Runtime } from "../services/context.ts";
import { enabledImapTarget } from "../services/imap_settings.ts";
import {
  imapflowSession,
  type ImapPull,
  type ImapPullOptions,
  type ImapSession,
  parseImapUrl,
  startImapPull,
} from "./imap_pull.ts";

export type ImapTestResult = { ok: true; uidValidity: string } | { ok: false; error: string };

export interface ImapControl {
  /** Reads the settings again and starts, restarts or stops the pull to match. */
  apply(): Promise<void>;
  /** Connects, logs in and opens the folder of `target`; never throws. */
  test(target: ImapTarget): Promise<ImapTestResult>;
  /** The mailbox pulled now (its key, no password) and where its settings came from. */
  current(): { key: string; from: "env" | "admin" } | null;
  stop(): Promise<void>;
}

export interface ImapControlOptions {
  /** MADOGUCHI_IMAP_URL, or null. */
  envUrl: string | null;
  pollMs: number;
  /** How to open a session to a target (tests script one). */
  sessionFor?: (target: ImapTarget) => () => Promise<ImapSession>;
  /** A connection test gives up after this long. */
  testTimeoutMs?: number;
  /** Passed on to the pull (tests: a quick backoff, a quiet log). */
  pull?: Pick<ImapPullOptions, "backoff" | "log">;
  log?: (message: string) => void;
}

export function imapControl(rt: Runtime, options: ImapControlOptions): ImapControl {
  const sessionFor = options.sessionFor ??
    ((t: ImapTarget) => imapflowSession(t, { timeoutMs: options.testTimeoutMs }));
  const log = options.log ?? ((m: string) => console.log(m));
  let running: { pull: ImapPull; key: string; fingerprint: string; from: "env" | "admin" } | null =
    null;
  let queue: Promise<void> = Promise.resolve();

  async function desired(): Promise<{ target: ImapTarget; from: "env" | "admin" } | null> {
    if (options.envUrl) return { target: parseImapUrl(options.envUrl), from: "env" };
    const saved = await enabledImapTarget(rt.store.db);
    return saved && { target: saved, from: "admin" };
  }

  async function reconcile() {
    const want = await desired();
    const fingerprint = want ? JSON.stringify(want.target) : "";
    if (running && running.fingerprint === fingerprint) return;
    if (running) {
      await running.pull.stop();
      log(`madoguchi: IMAP    stopped ${running.key}`);
      running = null;
    }
    if (!want) return;
    const key = imapTargetKey(want.target);
    const pull = startImapPull(rt, {
      connect: sessionFor(want.target),
      mailbox: key,
      pollMs: options.pollMs,
      ...options.pull,
    });
    running = { pull, key, fingerprint, from: want.from };
    log(`madoguchi: IMAP    pulling ${key}`);
  }

  return {
    apply() {
      queue = queue.then(reconcile, reconcile);
      return queue;
    },
    async test(target) {
      let session: ImapSession | null = null;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeoutMs = options.testTimeoutMs ?? 15_000;
      try {
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no answer in ${timeoutMs / 1000} s`)),
            timeoutMs,
          );
        });
        session = await Promise.race([sessionFor(target)(), timeout]);
        const opened = await Promise.race([session.open(), timeout]);
        return { ok: true, uidValidity: opened.uidValidity };
      } catch (e) {
        const err = e as { message?: string; responseText?: string; code?: string };
        return {
          ok: false,
          error: err.responseText || err.message || err.code || String(e),
        };
      } finally {
        clearTimeout(timer);
        await session?.close().catch(() => {});
      }
    },
    current: () => running && { key: running.key, from: running.from },
    async stop() {
      await queue.catch(() => {});
      await running?.pull.stop();
      running = null;
    },
  };
}
