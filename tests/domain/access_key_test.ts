import assert from "node:assert/strict";
import {
  hashAccessKey,
  newAccessKey,
  normalizeAccessKey,
  sameDigest,
} from "../../domain/access_key.ts";

Deno.test("access key: 16 Crockford base32 characters in four groups, different every time", () => {
  const keys = new Set(Array.from({ length: 200 }, newAccessKey));
  assert.equal(keys.size, 200);
  for (const k of keys) assert.match(k, /^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
});

Deno.test("access key: what a customer types is normalized (case, spaces, full width, O/I/L look-alikes)", () => {
  assert.equal(normalizeAccessKey("abcd-efgh-jkmn-pqrs"), "ABCDEFGHJKMNPQRS");
  assert.equal(normalizeAccessKey(" ＡＢＣＤ ｅｆｇｈ　jkmn pqrs "), "ABCDEFGHJKMNPQRS");
  assert.equal(normalizeAccessKey("O0Il-0000-0000-0000"), "0011000000000000");
  assert.equal(normalizeAccessKey("ABCD-EFGH-JKMN-PQR"), null, "too short");
  assert.equal(normalizeAccessKey("ABCD-EFGH-JKMN-PQRU"), null, "U is not in the alphabet");
});

Deno.test("access key: digests compare equal only when equal", async () => {
  const a = await hashAccessKey("ABCDEFGHJKMNPQRS");
  assert.match(a, /^[0-9a-f]{64}$/);
  assert.ok(sameDigest(a, await hashAccessKey("ABCDEFGHJKMNPQRS")));
  assert.ok(!sameDigest(a, await hashAccessKey("ABCDEFGHJKMNPQRT")));
  assert.ok(!sameDigest(a, a.slice(0, 63)));
  assert.ok(!sameDigest(a, ""));
});
