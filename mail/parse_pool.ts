/**
 * MIME parsing of big mail off the main thread (issue 13). mailparser decodes a message on the
 * thread that calls it: a 20 MiB mail with attachments is tens to hundreds of milliseconds in
 * which no SMTP command, sign-in or page moves. Messages from PARSE_OFF_THREAD_BYTES on are
 * parsed by a Worker (mail/parse_worker.ts) running the same mail/parse.ts; smaller ones, nearly
 * all mail, are parsed in place, where a round trip would cost more than the parse.
 *
 * One worker (the host has 2 cores and the main thread needs one), started on first use and
 * stopped after PARSE_WORKER_IDLE_MS without work; jobs queue in it. A parse that fails answers
 * with parse.ts's own error; a worker that dies (out of memory on a hostile mail) fails its jobs
 * with an error and is replaced on the next call, so the message is quarantined, not the process
 * lost.
 */
import { parseMessage } from "./parse.ts";
import type { InboundMessage } from "../domain/inbound_message.ts";

/** From this size on a message is parsed by the worker. */
export const PARSE_OFF_THREAD_BYTES = 512 * 1024;
/** A worker with nothing to do this long stops (its isolate's memory back). */
export const PARSE_WORKER_IDLE_MS = 30_000;

/** A job for the worker: the raw bytes, transferred. */
export interface ParseJob {
  id: number;
  raw: Uint8Array;
}
/** The worker's answer. */
export type ParseAnswer =
  | { id: number; ok: true; message: InboundMessage }
  | { id: number; ok: false; message: string };

interface Slot {
  worker: Worker;
  pending: Map<number, { resolve(m: InboundMessage): void; reject(e: Error): void }>;
  idle?: ReturnType<typeof setTimeout>;
}

let slot: Slot | null = null;
let nextId = 1;
/** Messages parsed by the worker since the process started (for tests and /metrics). */
let parsedOffThread = 0;

function start(): Slot {
  const worker = new Worker(new URL("./parse_worker.ts", import.meta.url).href, {
    type: "module",
  });
  const s: Slot = { worker, pending: new Map() };
  worker.onmessage = (e: MessageEvent<ParseAnswer>) => {
    const a = e.data;
    const p = s.pending.get(a.id);
    if (!p) return;
    s.pending.delete(a.id);
    if (s.pending.size === 0) armIdle(s);
    if (a.ok) {
      parsedOffThread++;
      p.resolve(a.message);
    } else p.reject(new Error(a.message));
  };
  worker.onerror = (e) => {
    e.preventDefault();
    fail(s, `Cannot parse message: the parser stopped (${e.message})`);
  };
  return s;
}

function fail(s: Slot, reason: string) {
  for (const p of s.pending.values()) p.reject(new Error(reason));
  s.pending.clear();
  stop(s);
}

function stop(s: Slot) {
  clearTimeout(s.idle);
  if (slot === s) slot = null;
  s.worker.terminate();
}

// Unreferenced: the idle timer never keeps the process (or a test) waiting.
function armIdle(s: Slot) {
  clearTimeout(s.idle);
  const timer = setTimeout(() => {
    if (s.pending.size === 0) stop(s);
  }, PARSE_WORKER_IDLE_MS);
  Deno.unrefTimer(timer);
  s.idle = timer;
}

/**
 * parseMessage (mail/parse.ts), on the worker for a message of PARSE_OFF_THREAD_BYTES or more;
 * the same result and the same errors either way.
 */
export function parseMail(
  raw: Uint8Array,
  options: { offThreadFrom?: number } = {},
): Promise<InboundMessage> {
  if (raw.byteLength < (options.offThreadFrom ?? PARSE_OFF_THREAD_BYTES)) {
    return parseMessage(raw);
  }
  const s = slot ??= start();
  clearTimeout(s.idle);
  const id = nextId++;
  // A copy: the caller keeps its bytes (they are stored as the raw message).
  const copy = raw.slice();
  return new Promise((resolve, reject) => {
    s.pending.set(id, { resolve, reject });
    s.worker.postMessage({ id, raw: copy } satisfies ParseJob, [copy.buffer]);
  });
}

/** What the pool has done, for tests and /metrics. */
export function parsePoolStats(): { running: boolean; inFlight: number; parsedOffThread: number } {
  return { running: slot !== null, inFlight: slot?.pending.size ?? 0, parsedOffThread };
}

/** Stops the worker now if it has nothing in flight (what the idle timer does). */
export function stopIdleParser(): void {
  if (slot && slot.pending.size === 0) stop(slot);
}
