/**
 * The one scheduler of the process. It sleeps until the earliest armed timer is due (or until it
 * is told a timer was armed), then fires what is due. Each timer fires in its own write: the
 * claim (`fired_at`) and the handler's effects (status change, outbox mail, notification) commit
 * together, so a timer never fires twice — not across ticks, not across restarts — and a crash
 * before the commit leaves it armed to fire after restart. A tick costs O(due timers).
 */
import { claimTimer, dueTimers, nextTimerDue, type Timer } from "../db/timers.ts";
import {
  type ChangeNotice,
  contextIn,
  type Loop,
  type OpContext,
  publishChanges,
  recordLiveChanges,
  type Runtime,
} from "../services/context.ts";
import { type SetTimer, startWakeLoop } from "./wake_loop.ts";

/**
 * Does what a timer of one kind means, inside the firing transaction: the scheduler is the edge
 * that opens it, the handler calls one service operation with the context. A handler with heavy
 * reads (a scheduled report: 100–400 ms at 200 000 tickets) splits them off: `prepare` runs before
 * the transaction, on the read pool, and `fire` gets its result inside, so the writer — every
 * mail's 250, every reply — is held only for the firing's own writes.
 */
export type TimerHandler =
  | ((ctx: OpContext, timer: Timer) => Promise<void>)
  | {
    prepare(rt: Runtime, timer: Timer, at: number): Promise<unknown>;
    fire(ctx: OpContext, timer: Timer, prepared: unknown): Promise<void>;
  };

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
  rt: Runtime,
  handlers: Record<string, TimerHandler>,
  options: {
    now?: () => number;
    onError?: (timer: Timer, error: unknown) => void;
    /** Called after a timer's firing committed (e.g. wake the outbox for mail it queued). */
    afterFire?: (timer: Timer) => void;
    /** What the loop sleeps on between due instants (tests pass a fake clock's). */
    setTimer?: SetTimer;
  } = {},
): Scheduler {
  const { store } = rt;
  const now = options.now ?? rt.now;

  async function fireOne(t: Timer, at: number): Promise<boolean> {
    const handler = handlers[t.kind];
    try {
      const woken = new Set<Loop>();
      const notices: ChangeNotice[] = [];
      const prepared = typeof handler === "object" ? await handler.prepare(rt, t, at) : undefined;
      const fired = await store.writeTx(async (tx) => {
        if (!await claimTimer(tx, t.id, at)) return false;
        const ctx = contextIn(tx, at, rt.sender, woken, undefined, notices);
        // Unknown kinds are claimed and dropped: an old timer must not block the queue forever.
        if (typeof handler === "function") await handler(ctx, t);
        else if (handler) await handler.fire(ctx, t, prepared);
        // A timer of a ticket (reminder, SLA notice, follow-up) may have changed what pages show.
        if (t.ticketId !== null) notices.push({ ticketId: t.ticketId });
        await recordLiveChanges(tx, notices, at);
        return true;
      });
      if (fired) {
        publishChanges(rt, notices);
        // Timers armed by the handler are read at the end of this pass; the outbox needs a nudge.
        if (woken.has("outbox")) rt.wakers.outbox();
        options.afterFire?.(t);
      }
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
    setTimer: options.setTimer,
  });
  return { wake: loop.wake, tick, idle: loop.idle, stop: loop.stop };
}
