import assert from "node:assert/strict";
import {
  checkRecipients,
  envelopeRecipients,
  formatField,
  parseMailbox,
  replyAllRecipients,
  splitEntries,
} from "../../domain/recipients.ts";

const own = { domains: ["example.test"], addresses: ["help@other.jp"] };

Deno.test("recipients: one entry is one mailbox, or a problem — never two, never a header", () => {
  assert.deepEqual(parseMailbox("taro@example.com"), { address: "taro@example.com", name: "" });
  assert.deepEqual(parseMailbox("山田 太郎 <Taro@Example.com>"), {
    address: "taro@example.com",
    name: "山田 太郎",
  });
  assert.deepEqual(parseMailbox('"Sato, Hanako" <h@example.com>'), {
    address: "h@example.com",
    name: "Sato, Hanako",
  });
  for (
    const [entry, code] of [
      ["a@example.com, b@example.com", "several"],
      ["a@example.com; b@example.com", "several"],
      ["a@example.com b@example.com", "invalid"],
      ["a@example.com\r\nBcc: evil@example.org", "invalid"],
      ["Name\n <a@example.com>", "invalid"],
      ['"a,b"@example.com', "invalid"],
      ["=?utf-8?B?YUBiLmM=?= <a@example.com>", "invalid"],
      ["Name\u2028 <a@example.com>", "invalid"],
      ["not-an-address", "invalid"],
      ["", "invalid"],
    ] as const
  ) {
    const got = parseMailbox(entry);
    assert.ok(
      "code" in got && got.code === code,
      `${JSON.stringify(entry)} → ${JSON.stringify(got)}`,
    );
  }
});

Deno.test("recipients: a typed field splits on commas, semicolons and lines, but not inside quotes", () => {
  assert.deepEqual(
    splitEntries('"Sato, Hanako" <h@example.com>, a@example.com;\nb@example.com,, '),
    ['"Sato, Hanako" <h@example.com>', "a@example.com", "b@example.com"],
  );
  assert.deepEqual(splitEntries("<a,b@example.com>"), ["<a,b@example.com>"]);
  // Formatting and splitting round-trip.
  const list = [{ address: "h@example.com", name: "Sato, Hanako" }, {
    address: "a@x.jp",
    name: "",
  }];
  assert.deepEqual(splitEntries(formatField(list)).map(parseMailbox), list);
});

Deno.test("recipients: reply-all copies the customer's To and Cc, minus us, bounced and repeats", () => {
  const r = replyAllRecipients({
    customer: { address: "taro@example.com", name: "太郎" },
    lastTo: [{ address: "support@example.test", name: "" }, {
      address: "Keiri@Example.com",
      name: "経理",
    }],
    lastCc: [
      { address: "taro@example.com", name: "" },
      { address: "help@other.jp", name: "" },
      { address: "bounce@example.com", name: "" },
      { address: "keiri@example.com", name: "" },
      { address: "h@example.com", name: "花子" },
    ],
    own,
    suppressed: new Set(["bounce@example.com"]),
  });
  assert.deepEqual(r, {
    to: [{ address: "taro@example.com", name: "太郎" }],
    cc: [{ address: "keiri@example.com", name: "経理" }, {
      address: "h@example.com",
      name: "花子",
    }],
    bcc: [],
  });
  assert.deepEqual(envelopeRecipients({ ...r, bcc: [{ address: "b@x.jp", name: "" }] }), [
    "taro@example.com",
    "keiri@example.com",
    "h@example.com",
    "b@x.jp",
  ]);
});

Deno.test("recipients: chosen ones need a To, none of ours, at most 50, each address once", () => {
  const a = (address: string) => ({ address, name: "" });
  const ok = checkRecipients({
    to: [a("x@a.jp")],
    cc: [a("x@a.jp"), a("y@a.jp")],
    bcc: [a("y@a.jp")],
  }, own);
  assert.deepEqual(ok, { ok: true, recipients: { to: [a("x@a.jp")], cc: [a("y@a.jp")], bcc: [] } });
  assert.deepEqual(checkRecipients({ to: [], cc: [a("x@a.jp")], bcc: [] }, own), {
    ok: false,
    problems: { to: { code: "required" } },
  });
  assert.deepEqual(checkRecipients({ to: [a("x@a.jp")], cc: [a("help@other.jp")], bcc: [] }, own), {
    ok: false,
    problems: { cc: { code: "own", entry: "help@other.jp" } },
  });
  const many = Array.from({ length: 50 }, (_, i) => a(`p${i}@a.jp`));
  assert.equal(checkRecipients({ to: [a("x@a.jp")], cc: many.slice(1), bcc: [] }, own).ok, true);
  assert.equal(checkRecipients({ to: [a("x@a.jp")], cc: many, bcc: [] }, own).ok, false);
});

Deno.test("recipients: a colleague of the customer who wrote last is copied", () => {
  const r = replyAllRecipients({
    customer: { address: "taro@example.com", name: "太郎" },
    lastFrom: { address: "keiri@example.com", name: "経理" },
    lastTo: [{ address: "support@example.test", name: "" }],
    lastCc: [{ address: "taro@example.com", name: "太郎" }],
    own,
    suppressed: new Set(),
  });
  assert.deepEqual(r.to, [{ address: "taro@example.com", name: "太郎" }]);
  assert.deepEqual(r.cc, [{ address: "keiri@example.com", name: "経理" }]);
});
