/**
 * The one scheduler of the process. It sleeps until the earliest armed timer is due (or until it
 * is told a timer was armed), then fires what is due. Each timer fires in its own write: the
 * claim (`fired_at`) and the handler's effects (status change, outbox mail, notification) commit
 * together, so a timer never fires twice — not across ticks, not across restarts — and a crash
 * before the commit leaves it armed to fire after restart. A tick costs O(due timers).
 */
import type { Store, Tx } from "../db/client.ts";
import { claimTimer, dueTimers, nextTimerDue, type Timer } from "../db/timers.ts";
import { startWakeLoop } from "./wake_loop.ts";

/** Does what a timer of one kind means, inside the firing transaction. */
export type TimerHandler = (tx: Tx, timer: Timer, now: number) => Promise<void>;

export interface Scheduler {
  /** Re-reads the next due time (call after arming a timer). */
  wake(): void;
  /** Resolves when nothing due is left to fire (for tests). */
  idle(): Promise<void>;
  /** Fires everything due now; returns how many fired (tests and benches). */
  tick(): Promise<number>;
  stop(): Promise<void>;
}

const BATCH = 500;

/** Starts the scheduler with a handler per timer kind. */
export function startScheduler(
  store: Store,
  handlers: Record<string, TimerHandler>,
  options: {
    now?: () => number;
    onError?: (timer: Timer, error: unknown) => void;
    /** Called after a timer's firing committed (e.g. wake the outbox for mail it queued). */
    afterFire?: (timer: Timer) => void;
  } = {},
): Scheduler {
  const now = options.now ?? Date.now;

  async function fireOne(t: Timer, at: number): Promise<boolean> {
    const handler = handlers[t.kind];
    try {
      const fired = await store.writeTx(async (tx) => {
        if (!await claimTimer(tx, t.id, at)) return false;
        // Unknown kinds are claimed and dropped: an old timer must not block the queue forever.
        if (handler) await handler(tx, t, at);
        return true;
      });
      if (fired) options.afterFire?.(t);
      return fired;
    } catch (error) {
      // The transaction rolled back: the timer stays armed. Push it back so one bad timer
      // cannot spin the loop; it is retried in a minute.
      (options.onError ?? ((tm, e) => console.error(`scheduler: ${tm.kind} #${tm.id}:`, e)))(
        t,
        error,
      );
      await store.writeTx((tx) =>
        tx.updateTable("timers").set({ due_at: at + 60_000 }).where("id", "=", t.id)
          .where("fired_at", "is", null).execute()
      ).catch(() => {});
      return false;
    }
  }

  async function tick(): Promise<number> {
    let fired = 0;
    for (;;) {
      const at = now();
      const due = await dueTimers(store.db, at, BATCH);
      const results = await Promise.all(due.map((t) => fireOne(t, at)));
      fired += results.filter(Boolean).length;
      if (due.length < BATCH || loop.stopped) return fired;
    }
  }

  // tick() reads `loop` only after its first await, when the loop exists.
  const loop = startWakeLoop({
    name: "scheduler",
    work: async () => void await tick(),
    nextDue: () => nextTimerDue(store.db),
    now,
  });
  return { wake: loop.wake, tick, idle: loop.idle, stop: loop.stop };
}
