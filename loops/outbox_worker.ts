/**
 * Drains the outbox through the relay. Wakes when mail is queued or when the next retry is due —
 * it never polls rows on a fixed tick. Transient failures (network, 4xx) back off exponentially;
 * permanent ones (5xx) and exhausted retries end as "failed", shown on the ticket.
 *
 * Several processes may share one database: each worker claims a row with a lease (its owner id
 * and an expiry it renews while sending), so nobody touches mail another live worker is sending,
 * and a dead worker's mail is taken over once its lease runs out.
 */
import { Buffer } from "node:buffer";
import nodemailer from "nodemailer";
import type { Store } from "../db/client.ts";
import { startWakeLoop } from "./wake_loop.ts";
import { createOutcomeRecorder } from "./outbox_recorder.ts";
import {
  claimOutboxItem,
  dueOutboxItems,
  nextOutboxDue,
  type OutboxItem,
  releaseHeldOutbox,
  renewOutboxLeases,
  settleOutboxItem,
} from "../db/outbox.ts";
import { normalizeAddress, singleRecipients } from "../domain/email_address.ts";
import { metrics } from "../obs/metrics.ts";

const OUTCOME_METRIC = {
  sent: "madoguchi_outbox_sent_total",
  retry: "madoguchi_outbox_retried_total",
  failed: "madoguchi_outbox_failed_total",
} as const;

export interface Transport {
  send(envelope: { from: string; to: string[] }, raw: Uint8Array): Promise<void>;
  close(): void;
}

export interface OutboxWorker {
  /** Tells the worker new mail is queued. */
  wake(): void;
  /** Resolves when the queue has nothing due now (for tests). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** How long a relay may stay unreachable before we give up (RFC 5321 §4.5.4.1: 4–5 days). */
export const GIVE_UP_AFTER_MS = 4 * 24 * 3_600_000;

/**
 * How long a claimed row stays ours without a heartbeat. A send in progress renews it every third
 * of that; a process that died holds its mail this long before another (or its restart) sends it.
 */
export const DEFAULT_LEASE_MS = 60_000;

/** Delay before attempt n+1 after n failed attempts: 1, 2, 4 … minutes, at most an hour. */
export function backoffMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(attempts - 1, 0), 3_600_000);
}

/** A nodemailer SMTP transport to the configured relay. */
export function smtpRelayTransport(relayUrl: string): Transport {
  const url = new URL(relayUrl);
  const transport = nodemailer.createTransport({
    host: url.hostname,
    port: Number(url.port || (url.protocol === "smtps:" ? 465 : 587)),
    secure: url.protocol === "smtps:",
    auth: url.username
      ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) }
      : undefined,
    pool: true,
    maxConnections: 2,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
    // Loopback relays (tests, a local MTA) rarely have certificates worth checking.
    ignoreTLS: url.hostname === "127.0.0.1" || url.hostname === "localhost",
  });
  return {
    async send(envelope, raw) {
      await transport.sendMail({ envelope, raw: Buffer.from(raw) });
    },
    close: () => transport.close(),
  };
}

/** Starts the worker; with no transport, nothing is sent and queued mail stays held. */
export async function startOutboxWorker(
  store: Store,
  transport: Transport | null,
  options: { now?: () => number; leaseMs?: number; owner?: string } = {},
): Promise<OutboxWorker> {
  const now = options.now ?? Date.now;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const owner = options.owner ?? workerId();
  if (transport) await store.writeTx((tx) => releaseHeldOutbox(tx, now()));

  const recorder = createOutcomeRecorder(store, owner);
  /**
   * While a send is in progress or an outcome waits to be recorded, the leases are renewed so
   * nobody takes the mail over. A renewal that fails is retried at the next beat; the recorder's
   * own log says the database is refusing writes.
   */
  let sending = false;
  const heartbeat = setInterval(() => {
    if (!sending && recorder.pending === 0) return;
    store.writeTx((tx) => renewOutboxLeases(tx, owner, now() + leaseMs)).catch(() => {});
  }, Math.max(leaseMs / 3, 10));
  Deno.unrefTimer(heartbeat);

  function retryOrFail(item: OutboxItem, err: unknown) {
    const code = (err as { responseCode?: number }).responseCode;
    const error = `${code ?? ""} ${(err as Error).message ?? String(err)}`.trim().slice(0, 500);
    const permanent = code !== undefined && code >= 500;
    const nextAttemptAt = now() + backoffMs(item.attempts + 1);
    return permanent || nextAttemptAt - item.createdAt > GIVE_UP_AFTER_MS
      ? { kind: "failed" as const, error }
      : { kind: "retry" as const, error, nextAttemptAt };
  }

  async function drain() {
    if (!transport) return;
    for (;;) {
      const items = await dueOutboxItems(store.db, now(), 20, owner);
      if (items.length === 0 || loop.stopped) return;
      for (const item of items) {
        if (loop.stopped) return;
        const claimed = await store.writeTx((tx) =>
          claimOutboxItem(tx, item.id, { owner, now: now(), leaseUntil: now() + leaseMs })
        );
        if (!claimed) continue;
        // nodemailer re-parses each recipient: one stored "a@x, b@y" would become two RCPT TO.
        const to = singleRecipients(item.envelopeTo);
        const from = item.envelopeFrom.trim();
        if (to === null || normalizeAddress(from) === null) {
          const error = `invalid recipient address: ${JSON.stringify(item.envelopeTo)}`;
          metrics.inc("madoguchi_outbox_failed_total");
          await store.writeTx((tx) =>
            settleOutboxItem(tx, item.id, owner, { kind: "failed", error })
          );
          continue;
        }
        let failure: unknown = null;
        sending = true;
        try {
          await transport.send({ from, to }, item.raw);
        } catch (err) {
          failure = err;
        } finally {
          sending = false;
        }
        // Recorded outside the send's try: a failure to record "sent" must not count as a failed
        // send and go out again; the recorder keeps it and retries.
        const outcome = failure === null
          ? { kind: "sent" as const, now: now() }
          : retryOrFail(item, failure);
        metrics.inc(OUTCOME_METRIC[outcome.kind]);
        await recorder.record(item.id, outcome);
      }
    }
  }

  // drain() reads `loop` only after its first await, when the loop exists.
  const loop = startWakeLoop({
    name: "outbox",
    work: drain,
    // Held mail waits for a relay; with none configured there is nothing to wake for.
    nextDue: () => transport ? nextOutboxDue(store.db, owner) : Promise.resolve(null),
    now,
  });
  return {
    wake: loop.wake,
    idle: loop.idle,
    async stop() {
      await loop.stop();
      await recorder.stop();
      clearInterval(heartbeat);
      transport?.close();
    },
  };
}

/** This worker's lease owner id: host, process and a random part (a restart is a new owner). */
function workerId(): string {
  let host = "host";
  try {
    host = Deno.hostname();
  } catch { /* without --allow-sys the random part still tells workers apart */ }
  return `${host}/${Deno.pid}/${crypto.randomUUID().slice(0, 8)}`;
}
