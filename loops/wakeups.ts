/**
 * Nudges for the process's loops from code that runs without AppDeps (mail ingest, replies,
 * status changes): "a timer was armed", "mail was queued". Call `wakeLoops` only AFTER the write
 * that armed or queued has committed — a loop woken earlier could read the old state and go back to
 * sleep. services.ts subscribes the scheduler and the outbox worker; tests may subscribe their own.
 * A nudge is only a hint: waking a loop with nothing to do costs one indexed read.
 */

export type Loop = "timers" | "outbox";

const listeners: Record<Loop, Set<() => void>> = { timers: new Set(), outbox: new Set() };

/** Calls `fn` whenever `loop` is nudged; returns the function that unsubscribes. */
export function onWake(loop: Loop, fn: () => void): () => void {
  listeners[loop].add(fn);
  return () => listeners[loop].delete(fn);
}

/** Nudges the given loops (after the commit). */
export function wakeLoops(...loops: Loop[]): void {
  for (const loop of loops) {
    for (const fn of listeners[loop]) {
      try {
        fn();
      } catch (error) {
        console.error(`wakeups: ${loop}:`, error);
      }
    }
  }
}
