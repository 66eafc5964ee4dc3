/**
 * Password hashing on a small pool of Workers (workers/password_worker.ts). argon2id costs ~170 ms
 * of CPU by design; on the main thread 100 concurrent HTTP Basic calls queued 8 s of it in front
 * of SMTP and every page. At most two workers (the machine this targets has 2 cores), started on
 * first use and stopped after PASSWORD_WORKER_IDLE_MS without work; jobs queue for the least busy
 * one.
 */

type JobInput =
  | { op: "hash"; password: string }
  | { op: "verify"; password: string; hash: string };
/** A job for a worker. */
export type PasswordJob = JobInput & { id: number };
/** A worker's answer: the encoded hash, or whether the password matched. */
export type PasswordResult =
  | { id: number; ok: true; value: string | boolean }
  | { id: number; ok: false; error: string };

const POOL_SIZE = Math.max(1, Math.min(2, navigator.hardwareConcurrency - 1 || 1));

/**
 * A worker with nothing to do this long stops: each holds ~45 MiB (a V8 isolate and argon2's
 * memory), a third of the process serving pages, for sign-ins that come minutes apart.
 */
export const PASSWORD_WORKER_IDLE_MS = 30_000;

interface Slot {
  worker: Worker;
  pending: Map<number, { resolve(v: string | boolean): void; reject(e: Error): void }>;
  idle?: ReturnType<typeof setTimeout>;
}

const slots: Slot[] = [];
let nextId = 1;

function startSlot(): Slot {
  const worker = new Worker(new URL("./password_worker.ts", import.meta.url).href, {
    type: "module",
  });
  const slot: Slot = { worker, pending: new Map() };
  worker.onmessage = (e: MessageEvent<PasswordResult>) => {
    const r = e.data;
    const p = slot.pending.get(r.id);
    if (!p) return;
    slot.pending.delete(r.id);
    if (slot.pending.size === 0) armIdle(slot);
    if (r.ok) p.resolve(r.value);
    else p.reject(new Error(r.error));
  };
  worker.onerror = (e) => {
    e.preventDefault();
    // A crashed worker fails its jobs and is replaced on the next call.
    for (const p of slot.pending.values()) {
      p.reject(new Error(`Password worker failed: ${e.message}`));
    }
    slot.pending.clear();
    stopSlot(slot);
  };
  slots.push(slot);
  return slot;
}

function stopSlot(slot: Slot) {
  clearTimeout(slot.idle);
  const i = slots.indexOf(slot);
  if (i >= 0) slots.splice(i, 1);
  slot.worker.terminate();
}

// Unreferenced: the idle timer never keeps the process (or a test) waiting.
function armIdle(slot: Slot) {
  clearTimeout(slot.idle);
  const timer = setTimeout(() => {
    if (slot.pending.size === 0) stopSlot(slot);
  }, PASSWORD_WORKER_IDLE_MS);
  Deno.unrefTimer(timer);
  slot.idle = timer;
}

/** Stops the workers with nothing in flight now (what the idle timer does). */
export function stopIdlePasswordWorkers(): void {
  for (const slot of [...slots]) if (slot.pending.size === 0) stopSlot(slot);
}

/** How many password workers are running (tests). */
export function passwordWorkerCount(): number {
  return slots.length;
}

function run(job: JobInput): Promise<string | boolean> {
  let slot = slots.reduce<Slot | undefined>(
    (best, s) => !best || s.pending.size < best.pending.size ? s : best,
    undefined,
  );
  if (!slot || (slot.pending.size > 0 && slots.length < POOL_SIZE)) slot = startSlot();
  const id = nextId++;
  const target = slot;
  clearTimeout(target.idle);
  return new Promise((resolve, reject) => {
    target.pending.set(id, { resolve, reject });
    target.worker.postMessage({ ...job, id } as PasswordJob);
  });
}

/** Hashes a password to an encoded argon2id string, on a worker. */
export async function hashPassword(password: string): Promise<string> {
  return String(await run({ op: "hash", password }));
}

/** Checks a password against an encoded argon2id hash, on a worker. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  return (await run({ op: "verify", password, hash })) === true;
}

/** Stops the workers (shutdown, tests); the next call starts new ones. */
export function stopPasswordWorkers(): void {
  for (const slot of [...slots]) {
    for (const p of slot.pending.values()) p.reject(new Error("Password workers stopped"));
    stopSlot(slot);
  }
}
