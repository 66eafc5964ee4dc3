import assert from "node:assert/strict";
import { createRateLimiter } from "../../routes/rate_limiter.ts";

Deno.test("rate limiter: an attempt is counted when made; past the limit it is refused uncounted", () => {
  const limiter = createRateLimiter(3, 1000);
  assert.deepEqual([1, 2, 3, 4, 5].map(() => limiter.attempt("k", 0)), [
    true,
    true,
    true,
    false,
    false,
  ]);
  assert.equal(limiter.attempt("other", 0), true, "keys are counted apart");
  assert.equal(limiter.attempt("k", 999), false, "still the same window");
  assert.equal(limiter.attempt("k", 1000), true, "a new window");
});

Deno.test("rate limiter: refund hands back one attempt, reset forgets the key", () => {
  const limiter = createRateLimiter(2, 1000);
  assert.ok(limiter.attempt("k", 0));
  assert.ok(limiter.attempt("k", 0));
  limiter.refund("k", 0);
  assert.ok(limiter.attempt("k", 0));
  assert.equal(limiter.attempt("k", 0), false);
  limiter.reset("k");
  assert.ok(limiter.attempt("k", 0));
  assert.ok(limiter.attempt("k", 0));
  limiter.refund("unknown", 0); // nothing to refund: no effect, no error
});

Deno.test("rate limiter: keys are cut to a maximum length, so padding does not give fresh budgets", () => {
  const limiter = createRateLimiter(1, 1000, { maxKeyLength: 254 });
  const base = "a".repeat(254);
  assert.ok(limiter.attempt(`${base}x`, 0));
  assert.equal(limiter.attempt(`${base}y`, 0), false);
});

Deno.test("rate limiter: beyond maxKeys the oldest windows are forgotten, the newest kept", () => {
  const limiter = createRateLimiter(1, 60_000, { maxKeys: 100 });
  for (let i = 0; i < 250; i++) assert.ok(limiter.attempt(`k${i}`, i));
  assert.ok(limiter.attempt("k0", 300), "the oldest was evicted");
  assert.equal(limiter.attempt("k249", 300), false, "the newest is still counted");
});
