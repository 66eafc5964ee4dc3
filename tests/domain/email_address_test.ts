import assert from "node:assert/strict";
import {
  chooseSender,
  filingSender,
  normalizeAddress,
  singleRecipients,
  splitMailboxes,
} from "../../domain/email_address.ts";

Deno.test("email address: only a plain mailbox passes, lower-cased", () => {
  assert.equal(normalizeAddress(" Taro.Yamada+x@Example.CO.JP "), "taro.yamada+x@example.co.jp");
  assert.equal(normalizeAddress("marilù@università.it"), "marilù@università.it");
  for (
    const bad of [
      "a@x.com, b@y.com",
      "<a@x.com>",
      "john doe@example.com",
      '"john doe"@example.com',
      "mailer-daemon",
      "a@b@c",
      "a@x.com\r\nRCPT TO:<b@y.com>",
      "=?UTF-8?B?YUB4LmNvbQ==?=@x.com",
      ".a@x.com",
      "a@",
    ]
  ) assert.equal(normalizeAddress(bad), null, bad);
});

Deno.test("email address: mailboxes split on commas outside quotes, comments and brackets", () => {
  assert.deepEqual(splitMailboxes('"Yamada, Taro" <t@x.com>, b@y.com (Bee)'), [
    { address: "t@x.com", name: "Yamada, Taro" },
    { address: "b@y.com", name: "Bee" },
  ]);
  assert.deepEqual(splitMailboxes("MAILER-DAEMON (Mail Delivery System)"), [
    { address: "MAILER-DAEMON", name: "Mail Delivery System" },
  ]);
  assert.deepEqual(splitMailboxes("Taro <john doe@example.com>"), [
    { address: "john doe@example.com", name: "Taro" },
  ]);
});

Deno.test("email address: the sender is From's first usable mailbox, else Reply-To, else Sender, name kept", () => {
  const boxes = (value: string) => splitMailboxes(value);
  assert.deepEqual(
    chooseSender({
      from: [...boxes("garbage"), ...boxes("Jiro <jiro@example.com>")],
      replyTo: [],
      sender: [],
    }),
    { address: "jiro@example.com", name: "Jiro", source: "from" },
  );
  assert.deepEqual(
    chooseSender({
      from: boxes("Taro <john doe@example.com>"),
      replyTo: boxes("other@example.com"),
      sender: [],
    }),
    { address: "other@example.com", name: "Taro", source: "reply-to" },
  );
  assert.deepEqual(
    chooseSender({
      from: boxes("MAILER-DAEMON (Mail Delivery System)"),
      replyTo: [],
      sender: boxes("Saburo <s@example.com>"),
    }),
    { address: "s@example.com", name: "Mail Delivery System", source: "sender" },
  );
  assert.deepEqual(
    chooseSender({ from: boxes("Big Bug bb@bug.com"), replyTo: [], sender: [] }),
    { address: null, name: "Big Bug", source: null },
  );
  assert.deepEqual(
    filingSender({ address: null, name: "Big Bug" }, "BB@Bug.com"),
    { address: "bb@bug.com", name: "Big Bug" },
  );
  assert.deepEqual(
    filingSender({ address: null, name: "" }, "a@x.com, b@y.com"),
    { address: "unknown-sender@invalid", name: "" },
  );
});

Deno.test("email address: envelope recipients are refused unless each is one plain mailbox", () => {
  assert.deepEqual(singleRecipients(["Taro@Example.com "]), ["Taro@Example.com"]);
  assert.equal(singleRecipients(["a@x.com, b@y.com"]), null);
  assert.equal(singleRecipients([]), null);
});
