/**
 * The shape both background loops share (outbox, scheduler): run `work` one pass at a time,
 * again at once if woken meanwhile, then sleep until `nextDue` — never polling on a fixed tick.
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
  const idleWaiters: (() => void)[] = [];

  async function sleep() {
    cancelTimer();
    if (stopped) return;
    const next = await options.nextDue();
    if (next === null) return;
    cancelTimer = setTimer(wake, Math.min(Math.max(next - options.now(), 0), MAX_SLEEP_MS));
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
        } catch (err) {
          console.error(`${options.name}:`, err);
        }
        await sleep().catch((err) => console.error(`${options.name}:`, err));
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
