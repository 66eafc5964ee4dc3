/**
 * The single writer, with group commit.
 *
 * Every write transaction of the process goes through one queue (see db/client.ts for why). A
 * durable commit costs one fsync (3–6 ms on ordinary disks) and the embedded driver blocks the
 * event loop while it flushes, so one transaction per inbound message caps ingest near 200 msg/s.
 * Instead the writer takes every queued job — lingering up to a few milliseconds while callers
 * have announced a write is on its way (a message still being parsed) — and runs them in ONE
 * transaction, each job inside its own SAVEPOINT: a failing job rolls back alone and rejects alone,
 * the others commit together, and nobody's promise resolves before that commit is on disk.
 */
import { type Kysely, sql, type Transaction } from "kysely";

export interface GroupWriter<DB> {
  /** Runs fn inside a write transaction; resolves after its commit, rejects if it or the commit fails. */
  write<T>(fn: (tx: Transaction<DB>) => Promise<T>): Promise<T>;
  /** Announces a write that is about to be queued; call the returned function when it is (or won't be). */
  announce(): () => void;
  /** Resolves when the queue is empty. */
  drained(): Promise<void>;
}

interface Job<DB> {
  fn: (tx: Transaction<DB>) => Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * Creates the writer; `lingerMs` bounds how long a batch waits for announced writes. `now` and
 * `setTimer` (the linger's clock and timer; tests pass a fake clock's) default to the real ones.
 */
export function createGroupWriter<DB>(
  db: Kysely<DB>,
  options: {
    maxBatch?: number;
    lingerMs?: number;
    now?: () => number;
    setTimer?: (fn: () => void, ms: number) => () => void;
    /** Runs last in every transaction, before its commit (the search index's flush). */
    beforeCommit?: (tx: Transaction<DB>) => Promise<unknown>;
  } = {},
): GroupWriter<DB> {
  const maxBatch = options.maxBatch ?? 64;
  const lingerMs = options.lingerMs ?? 5;
  const now = options.now ?? (() => performance.now());
  const setTimer = options.setTimer ?? ((fn, ms) => {
    const id = setTimeout(fn, ms);
    return () => clearTimeout(id);
  });
  const beforeCommit = options.beforeCommit ?? (() => Promise.resolve());
  let queue: Job<DB>[] = [];
  let announced = 0;
  let running: Promise<void> | null = null;

  async function runBatch(batch: Job<DB>[]) {
    if (batch.length === 1) {
      const [job] = batch;
      try {
        job.resolve(
          await db.transaction().execute(async (tx) => {
            const value = await job.fn(tx);
            await beforeCommit(tx);
            return value;
          }),
        );
      } catch (e) {
        job.reject(e);
      }
      return;
    }
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      await db.transaction().execute(async (tx) => {
        for (const job of batch) {
          await sql`savepoint job`.execute(tx);
          try {
            const value = await job.fn(tx);
            await sql`release savepoint job`.execute(tx);
            outcomes.push({ ok: true, value });
          } catch (error) {
            await sql`rollback to savepoint job`.execute(tx);
            await sql`release savepoint job`.execute(tx);
            outcomes.push({ ok: false, error });
          }
        }
        await beforeCommit(tx);
      });
    } catch (error) {
      for (const job of batch) job.reject(error);
      return;
    }
    batch.forEach((job, i) => {
      const o = outcomes[i];
      if (o.ok) job.resolve(o.value);
      else job.reject(o.error);
    });
  }

  /** Wakes a lingering writer; set only while it lingers. */
  let wake: (() => void) | null = null;
  /** The batch is as full as it will get: stop lingering (the writer resumes in a microtask). */
  function nudge() {
    if (wake && (announced === 0 || queue.length >= maxBatch)) wake();
  }

  async function drain() {
    while (queue.length > 0) {
      const start = now();
      // Linger while announced writes are still on their way, woken as soon as the last of them
      // is queued (not on the next timer tick), for at most lingerMs.
      while (announced > 0 && queue.length < maxBatch) {
        const left = lingerMs - (now() - start);
        if (left <= 0) break;
        let cancel = () => {};
        await new Promise<void>((resolve) => {
          wake = resolve;
          cancel = setTimer(resolve, left);
        });
        wake = null;
        cancel();
      }
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(maxBatch);
      await runBatch(batch);
    }
    running = null;
  }

  return {
    write<T>(fn: (tx: Transaction<DB>) => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
        running ??= Promise.resolve().then(drain);
        nudge();
      });
    },
    announce() {
      announced++;
      let done = false;
      return () => {
        if (!done) {
          done = true;
          announced--;
          nudge();
        }
      };
    },
    drained: () => running ?? Promise.resolve(),
  };
}
