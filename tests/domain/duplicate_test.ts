import assert from "node:assert/strict";
import { findDuplicate } from "../../domain/duplicate.ts";

const stored = [{ ticketId: 7, fromAddress: "taro@example.com", sha256: "aaa" }];

Deno.test("duplicate: the same bytes again are a duplicate, whoever sent them", () => {
  assert.deepEqual(
    findDuplicate({ messageId: "12345", sender: "x@example.com", sha256: "aaa" }, stored),
    { copy: stored[0], reason: "same-content" },
  );
});

Deno.test("duplicate: the same sender with a well-formed id is a duplicate even with new bytes", () => {
  assert.equal(
    findDuplicate(
      { messageId: "m1@example.com", sender: "Taro@example.com", sha256: "bbb" },
      stored,
    )
      ?.reason,
    "same-sender",
  );
});

Deno.test("duplicate: a reused id from someone else, or a bare id with new bytes, is filed", () => {
  assert.equal(
    findDuplicate(
      { messageId: "m1@example.com", sender: "jiro@example.com", sha256: "bbb" },
      stored,
    ),
    null,
  );
  assert.equal(
    findDuplicate({ messageId: "12345", sender: "taro@example.com", sha256: "bbb" }, stored),
    null,
  );
  assert.equal(
    findDuplicate({ messageId: null, sender: "taro@example.com", sha256: "aaa" }, []),
    null,
  );
});
