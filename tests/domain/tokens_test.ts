import assert from "node:assert/strict";
import { sha256Hex } from "../../domain/tokens.ts";

Deno.test("sha256Hex: known vectors, and the same digest as crypto.subtle for mail-sized input", async () => {
  assert.equal(
    await sha256Hex(new Uint8Array()),
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
  );
  assert.equal(
    await sha256Hex(new TextEncoder().encode("abc")),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
  for (const size of [1, 63, 64, 65, 8500, 300_000]) {
    const bytes = new Uint8Array(size).map((_, i) => (i * 31 + size) & 0xff);
    // A view into a larger buffer hashes only its own bytes.
    const view = new Uint8Array([9, ...bytes, 9]).subarray(1, size + 1);
    const expected = Array.from(
      new Uint8Array(await crypto.subtle.digest("SHA-256", bytes)),
      (b) => b.toString(16).padStart(2, "0"),
    ).join("");
    assert.equal(await sha256Hex(bytes), expected);
    assert.equal(await sha256Hex(view), expected);
  }
});
