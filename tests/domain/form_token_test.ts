import assert from "node:assert/strict";
import {
  FORM_TOKEN_MAX_AGE_MS,
  formTokenKey,
  issueFormToken,
  receiptIdFor,
  verifyFormToken,
} from "../../domain/form_token.ts";

const key = await formTokenKey(btoa("s".repeat(32)));
const otherKey = await formTokenKey(btoa("t".repeat(32)));
const now = 1_800_000_000_000;

Deno.test("form token: a token verifies for its purpose within its age, and for nothing else", async () => {
  const token = await issueFormToken(key, "inquiry:1", now);
  assert.equal(await verifyFormToken(key, token, "inquiry:1", now + 1000), "ok");
  assert.equal(await verifyFormToken(key, token, "inquiry:2", now), "invalid");
  assert.equal(await verifyFormToken(otherKey, token, "inquiry:1", now), "invalid");
  assert.equal(
    await verifyFormToken(key, token, "inquiry:1", now + FORM_TOKEN_MAX_AGE_MS + 1),
    "expired",
  );
  assert.equal(await verifyFormToken(key, token, "inquiry:1", now - 3600_000), "expired");
});

Deno.test("form token: tampered or malformed tokens are invalid", async () => {
  const token = await issueFormToken(key, "reply:7", now);
  const [issued, random, mac] = token.split(".");
  const later = (parseInt(issued, 36) + 1).toString(36);
  for (
    const bad of [
      `${later}.${random}.${mac}`,
      `${issued}.${random}x.${mac}`,
      `${issued}.${random}.${mac.slice(1)}`,
      `${issued}.${random}.!!!`,
      "",
      "a.b",
      "a.b.c.d",
    ]
  ) {
    assert.equal(await verifyFormToken(key, bad, "reply:7", now), "invalid", bad);
  }
});

Deno.test("form token: the receipt id is derived from the token: stable, distinct, unguessable", async () => {
  const a = await issueFormToken(key, "inquiry:1", now);
  const b = await issueFormToken(key, "inquiry:1", now);
  assert.notEqual(a, b);
  assert.equal(await receiptIdFor(key, a), await receiptIdFor(key, a));
  assert.notEqual(await receiptIdFor(key, a), await receiptIdFor(key, b));
  assert.match(await receiptIdFor(key, a), /^[A-Za-z0-9_-]{43}$/);
});
