/**
 * A Worker that hashes and verifies passwords (argon2id, ~170 ms of CPU each) off the main thread,
 * so sign-ins and HTTP Basic API calls do not stall SMTP and every other request meanwhile.
 * Started by workers/password_pool.ts; it runs domain/password.ts and nothing else.
 */
import { hashPassword, verifyPassword } from "../domain/password.ts";
import type { PasswordJob, PasswordResult } from "./password_pool.ts";

self.onmessage = async (e: MessageEvent<PasswordJob>) => {
  const job = e.data;
  try {
    const value = job.op === "hash"
      ? await hashPassword(job.password)
      : await verifyPassword(job.password, job.hash);
    self.postMessage({ id: job.id, ok: true, value } satisfies PasswordResult);
  } catch (err) {
    self.postMessage({ id: job.id, ok: false, error: String(err) } satisfies PasswordResult);
  }
};
