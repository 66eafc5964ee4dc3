/**
 * The shape both background loops share (outbox, scheduler): run `work` one pass at a time,
 * again at once if woken meanwhile, then sleep until `nextDue` — never polling on a fixed tick.
 *
 * A pass that fails (or whose sleep computation fails: a full disk, a locked database) is retried
 * after a backoff of 1 s doubling to a minute, not at once — retrying at once spun a core and
 * wrote megabytes of stack traces. It logs one line when passes start failing, one when the error
 * changes and one when they succeed again, not one per attempt. A wake() still runs a pass at
 * once: it comes from a write that just committed, a sign the database may be back.
 */

export interface WakeLoop {
  /** Runs a pass now (or right after the current one). */
  wake(): void;
  /** Resolves when no pass is running (for tests). */
  idle(): Promise<void>;
  /** Stops sleeping and waits for a running pass to end. */
  stop(): Promise<void>;
  readonly stopped: boolean;
}

const MAX_SLEEP_MS = 3_600_000; // setTimeout's limit is 2^31-1 ms; an hour keeps clocks honest

/** Calls `fn` after `ms` milliseconds; returns a function that cancels the call. */
export type SetTimer = (fn: () => void, ms: number) => () => void;

/** The real timer. */
const realTimer: SetTimer = (fn, ms) => {
  const id = setTimeout(fn, ms);
  return () => clearTimeout(id);
};

/** Delay before retrying after n consecutive failed passes: 1, 2, 4 … seconds, at most a minute. */
export function failureBackoffMs(failures: number): number {
  return Math.min(1_000 * 2 ** Math.max(failures - 1, 0), 60_000);
}

/** Starts a loop; its first pass runs at once. */
export function startWakeLoop(options: {
  name: string;
  work: () => Promise<void>;
  /** The next instant work is due, or null when nothing is pending. */
  nextDue: () => Promise<number | null>;
  now: () => number;
  /** What the loop sleeps on (tests pass a fake clock's); the real timer by default. */
  setTimer?: SetTimer;
}): WakeLoop {
  const setTimer = options.setTimer ?? realTimer;
  let cancelTimer = () => {};
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let failures = 0;
  let lastError = "";
  const idleWaiters: (() => void)[] = [];

  async function sleep() {
    cancelTimer();
    if (stopped) return;
    const next = await options.nextDue();
    if (next === null) return;
    cancelTimer = setTimer(wake, Math.min(Math.max(next - options.now(), 0), MAX_SLEEP_MS));
  }

  function failed(err: unknown) {
    failures++;
    const message = err instanceof Error ? err.message : String(err);
    const retry = `retrying in ${failureBackoffMs(failures) / 1000} s, backing off to a minute`;
    // The stack once per streak (a bug shows where), then one line when the error changes.
    if (failures === 1) console.error(`${options.name}: pass failed, ${retry}:`, err);
    else if (message !== lastError) console.error(`${options.name}: ${message}; ${retry}`);
    lastError = message;
    cancelTimer();
    if (!stopped) cancelTimer = setTimer(wake, failureBackoffMs(failures));
  }

  function succeeded() {
    if (failures === 0) return;
    console.error(`${options.name}: recovered after ${failures} failed passes`);
    failures = 0;
    lastError = "";
  }

  function wake() {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      // A wake() that lands while we compute the next sleep must not be lost: loop until a
      // whole pass, sleep included, ran without one.
      do {
        again = false;
        try {
          await options.work();
          await sleep();
          succeeded();
        } catch (err) {
          failed(err);
          // Wakes during a failed pass are covered by the retry timer.
          again = false;
        }
      } while (again && !stopped);
    })().finally(() => {
      running = null;
      for (const w of idleWaiters.splice(0)) w();
    });
  }

  wake();
  return {
    wake,
    idle: () => running ? new Promise<void>((r) => idleWaiters.push(r)) : Promise.resolve(),
    async stop() {
      stopped = true;
      cancelTimer();
      await running;
    },
    get stopped() {
      return stopped;
    },
  };
}
