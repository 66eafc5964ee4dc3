/**
 * Imports started from the admin page run here, in the background of the server process: at most
 * one run per job, stoppable between messages. A run that stops (a restart, a crash) leaves its
 * job resumable; the admin page offers to continue it.
 */
import type { Store } from "../db/client.ts";
import type { Runtime } from "../services/context.ts";
import { runImport } from "../services/import.ts";

export interface ImportRunner {
  /** Starts the job unless it is already running here; false when it was. */
  start(rt: Runtime, jobId: number, options?: { maxBytes?: number }): boolean;
  isRunning(jobId: number): boolean;
  /** Asks the job to stop after the message at hand. */
  stop(jobId: number): void;
  /** Resolves when every run has stopped (tests, shutdown). */
  idle(): Promise<void>;
}

function createImportRunner(): ImportRunner {
  const running = new Map<number, { stop: AbortController; done: Promise<unknown> }>();
  return {
    start(rt, jobId, options = {}) {
      if (running.has(jobId)) return false;
      const stop = new AbortController();
      const done = runImport(rt, jobId, { signal: stop.signal, maxBytes: options.maxBytes })
        .catch((e) => console.error(`import job ${jobId}:`, e))
        .finally(() => running.delete(jobId));
      running.set(jobId, { stop, done });
      return true;
    },
    isRunning: (jobId) => running.has(jobId),
    stop(jobId) {
      running.get(jobId)?.stop.abort();
    },
    async idle() {
      while (running.size) await Promise.all([...running.values()].map((r) => r.done));
    },
  };
}

const runners = new WeakMap<Store, ImportRunner>();

/** The runner of a database (one per store, so tests with their own stores do not share). */
export function importRunner(store: Store): ImportRunner {
  let runner = runners.get(store);
  if (!runner) runners.set(store, runner = createImportRunner());
  return runner;
}
