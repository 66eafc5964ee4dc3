/** argon2id password hashing (hash-wasm: WebAssembly, no native addon). */
import { argon2id, argon2Verify } from "hash-wasm";

// OWASP's argon2id baseline: 19 MiB memory, 2 iterations, 1 lane.
const PARAMS = { parallelism: 1, iterations: 2, memorySize: 19456, hashLength: 32 };

/** Hashes a password to an encoded argon2id string with a fresh salt. */
export function hashPassword(password: string): Promise<string> {
  return argon2id({
    ...PARAMS,
    password,
    salt: crypto.getRandomValues(new Uint8Array(16)),
    outputType: "encoded",
  });
}

/** Checks a password against an encoded argon2id hash. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  try {
    return await argon2Verify({ password, hash });
  } catch {
    return false;
  }
}
