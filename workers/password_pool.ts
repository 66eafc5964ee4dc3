/**
 * Password hashing on a small pool of Workers (workers/password_worker.ts). argon2id costs ~170 ms
 * of CPU by design; on the main thread 100 concurrent HTTP Basic calls queued 8 s of it in front
 * of SMTP and every page. At most two workers (the machine this targets has 2 cores), started on
 * first use; jobs queue for the least busy one. Workers do not keep the process alive.
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

interface Slot {
  worker: Worker;
  pending: Map<number, { resolve(v: string | boolean): void; reject(e: Error): void }>;
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
    slots.splice(slots.indexOf(slot), 1);
    worker.terminate();
  };
  slots.push(slot);
  return slot;
}

function run(job: JobInput): Promise<string | boolean> {
  let slot = slots.reduce<Slot | undefined>(
    (best, s) => !best || s.pending.size < best.pending.size ? s : best,
    undefined,
  );
  if (!slot || (slot.pending.size > 0 && slots.length < POOL_SIZE)) slot = startSlot();
  const id = nextId++;
  const target = slot;
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
  for (const slot of slots.splice(0)) {
    for (const p of slot.pending.values()) p.reject(new Error("Password workers stopped"));
    slot.worker.terminate();
  }
}
