import assert from "node:assert/strict";
import {
  hashPassword,
  passwordWorkerCount,
  stopIdlePasswordWorkers,
  verifyPassword,
} from "../../workers/password_pool.ts";
import * as inline from "../../domain/password.ts";

Deno.test("password pool: hashes on a worker verify like the inline ones, both ways", async () => {
  const hashes = await Promise.all(["one pass", "two pass", "three pass"].map(hashPassword));
  assert.equal(new Set(hashes).size, 3);
  for (const h of hashes) assert.match(h, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  assert.equal(await verifyPassword("two pass", hashes[1]), true);
  assert.equal(await verifyPassword("one pass", hashes[1]), false);
  assert.equal(await inline.verifyPassword("three pass", hashes[2]), true);
  assert.equal(await verifyPassword("inline", await inline.hashPassword("inline")), true);
  assert.equal(await verifyPassword("x", "not a hash"), false);
});

Deno.test("password pool: idle workers stop (their memory back); the next sign-in starts one", async () => {
  const hash = await hashPassword("idle pass");
  assert.ok(passwordWorkerCount() >= 1);
  stopIdlePasswordWorkers();
  assert.equal(passwordWorkerCount(), 0);
  assert.equal(await verifyPassword("idle pass", hash), true);
  assert.equal(passwordWorkerCount(), 1);
});
