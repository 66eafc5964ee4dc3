/**
 * What the relay said about a mail, kept until the database takes it.
 *
 * Once the relay accepted a mail, recording "sent" is the only thing left to do — sending it again
 * would be a duplicate. When that write fails (a full disk, a database locked past the busy
 * timeout) the outcome stays here, in memory, and is written again with backoff until it sticks;
 * meanwhile the row stays leased to this worker (the heartbeat renews it), so nobody sends it
 * again while this process lives. Only a process that dies holding outcomes leaves them to be
 * re-sent once their lease runs out.
 */
import type { Store } from "../db/client.ts";
import { type OutboxOutcome, settleOutboxItem } from "../db/outbox.ts";

export interface OutcomeRecorder {
  /** Records an outcome, or keeps it for later when the database refuses; never rejects. */
  record(id: number, outcome: OutboxOutcome): Promise<void>;
  /** Outcomes waiting to be written. */
  readonly pending: number;
  /** Stops retrying after one last attempt; logs whatever is still unrecorded. */
  stop(): Promise<void>;
}

/** Delay before retry n (1, 2, 4 … seconds, at most a minute) after a failed database write. */
export function writeRetryDelayMs(failures: number): number {
  return Math.min(1_000 * 2 ** Math.max(failures - 1, 0), 60_000);
}

/** Creates the recorder of one worker (the lease owner). */
export function createOutcomeRecorder(store: Store, owner: string): OutcomeRecorder {
  const pending = new Map<number, OutboxOutcome>();
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  async function settle(id: number, outcome: OutboxOutcome) {
    const settled = await store.writeTx((tx) => settleOutboxItem(tx, id, owner, outcome));
    if (!settled) console.error(`outbox: #${id} was taken over by another worker during its send`);
  }

  /** Writes every kept outcome, oldest first; throws at the first one the database refuses. */
  async function flush() {
    for (const [id, outcome] of pending) {
      await settle(id, outcome);
      pending.delete(id);
    }
  }

  function retryLater() {
    if (stopped || timer !== undefined) return;
    timer = setTimeout(async () => {
      timer = undefined;
      try {
        await flush();
        console.error(
          `outbox: recorded the outcomes kept in memory after ${failures} failed writes`,
        );
        failures = 0;
      } catch {
        failures++;
        retryLater();
      }
    }, writeRetryDelayMs(failures));
  }

  return {
    async record(id, outcome) {
      if (pending.size === 0) {
        try {
          await settle(id, outcome);
          return;
        } catch (err) {
          failures = 1;
          console.error(
            `outbox: cannot record the outcome of #${id} (${outcome.kind}); keeping it in memory ` +
              `and retrying, it will not be sent again: ${(err as Error)?.message ?? err}`,
          );
        }
      }
      // Already failing: join the queue, in order, without another log line.
      pending.set(id, outcome);
      retryLater();
    },
    get pending() {
      return pending.size;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
      if (pending.size === 0) return;
      try {
        await flush();
      } catch (err) {
        console.error(
          `outbox: stopping with outcomes the database did not take (${
            [...pending.keys()]
              .map((id) => `#${id}`).join(", ")
          }); once their lease runs out they are sent again, ` +
            `a duplicate for those the relay accepted: ${(err as Error)?.message ?? err}`,
        );
      }
    },
  };
}
