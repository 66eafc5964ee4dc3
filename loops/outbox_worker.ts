/**
 * Drains the outbox through the relay. Wakes when mail is queued or when the next retry is due —
 * it never polls rows on a fixed tick. Transient failures (network, 4xx) back off exponentially;
 * permanent ones (5xx) and exhausted retries end as "failed", shown on the ticket.
 */
import { Buffer } from "node:buffer";
import nodemailer from "nodemailer";
import type { Store } from "../db/client.ts";
import { startWakeLoop } from "./wake_loop.ts";
import {
  claimOutboxItem,
  dueOutboxItems,
  nextOutboxDue,
  type OutboxItem,
  recoverOutbox,
  settleOutboxItem,
} from "../db/outbox.ts";
import { normalizeAddress, singleRecipients } from "../domain/email_address.ts";
import { metrics } from "../domain/metrics.ts";

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
  options: { now?: () => number } = {},
): Promise<OutboxWorker> {
  const now = options.now ?? Date.now;
  await store.writeTx((tx) => recoverOutbox(tx, transport !== null, now()));

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
      const items = await dueOutboxItems(store.db, now(), 20);
      if (items.length === 0 || loop.stopped) return;
      for (const item of items) {
        if (loop.stopped) return;
        if (!await store.writeTx((tx) => claimOutboxItem(tx, item.id))) continue;
        // nodemailer re-parses each recipient: one stored "a@x, b@y" would become two RCPT TO.
        const to = singleRecipients(item.envelopeTo);
        const from = item.envelopeFrom.trim();
        if (to === null || normalizeAddress(from) === null) {
          const error = `invalid recipient address: ${JSON.stringify(item.envelopeTo)}`;
          metrics.inc("madoguchi_outbox_failed_total");
          await store.writeTx((tx) => settleOutboxItem(tx, item.id, { kind: "failed", error }));
          continue;
        }
        let failure: unknown = null;
        try {
          await transport.send({ from, to }, item.raw);
        } catch (err) {
          failure = err;
        }
        // Settled outside the send's try: a failure to record "sent" must not count as a failed
        // send and go out again. Left "sending", the item is re-queued at the next start.
        const outcome = failure === null
          ? { kind: "sent" as const, now: now() }
          : retryOrFail(item, failure);
        metrics.inc(OUTCOME_METRIC[outcome.kind]);
        await store.writeTx((tx) => settleOutboxItem(tx, item.id, outcome))
          .catch((err) => console.error(`outbox: cannot record the outcome of #${item.id}:`, err));
      }
    }
  }

  // drain() reads `loop` only after its first await, when the loop exists.
  const loop = startWakeLoop({
    name: "outbox",
    work: drain,
    // Held mail waits for a relay; with none configured there is nothing to wake for.
    nextDue: () => transport ? nextOutboxDue(store.db) : Promise.resolve(null),
    now,
  });
  return {
    wake: loop.wake,
    idle: loop.idle,
    async stop() {
      await loop.stop();
      transport?.close();
    },
  };
}
