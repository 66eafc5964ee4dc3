/** The hand-written ISO-2022-JP composer never lets a CR/LF in its inputs start a header. */
import assert from "node:assert/strict";
import { buildIso2022JpMail } from "../../mail/compose_iso_2022_jp.ts";

function headerBlock(raw: Uint8Array): string[] {
  const text = new TextDecoder().decode(raw);
  const head = text.slice(0, text.indexOf("\r\n\r\n"));
  // Unfold continuation lines, then one entry per header.
  return head.replace(/\r\n[ \t]/g, " ").split("\r\n");
}

Deno.test("compose iso-2022-jp: CR/LF in ids, addresses and extra headers cannot add a header", () => {
  const raw = buildIso2022JpMail({
    from: { name: "サポート", address: "support@example.test\r\nBcc: a@evil.example" },
    to: [{ name: "山田", address: "taro@example.com\nBcc: b@evil.example" }],
    replyTo: "support+tX@example.test\rBcc: c@evil.example",
    subject: "件名\r\nBcc: d@evil.example",
    date: new Date(Date.UTC(2026, 2, 9)),
    messageId: "m1@example.test\r\nBcc: e@evil.example",
    inReplyTo: "orig@example.com>\r\nBcc: f@evil.example",
    references: ["r1@example.com\r\nBcc: g@evil.example", "\r\n", "r2@example.com"],
    headers: {
      "X-Madoguchi-Ticket": "1001\r\nBcc: h@evil.example",
      "X-Evil\r\nBcc: i@evil.example": "x",
    },
    text: "本文です。",
  });
  assert.ok(raw);
  const headers = headerBlock(raw);
  const names = headers.map((h) => h.slice(0, h.indexOf(":")).toLowerCase());
  assert.ok(!names.includes("bcc"), headers.join("\n"));
  assert.deepEqual(
    names.filter((n) => !n.startsWith("x-")),
    [
      "from",
      "to",
      "reply-to",
      "subject",
      "message-id",
      "in-reply-to",
      "references",
      "date",
      "mime-version",
      "content-type",
      "content-transfer-encoding",
    ],
  );
  const text = new TextDecoder().decode(raw);
  const head = text.slice(0, text.indexOf("\r\n\r\n"));
  assert.doesNotMatch(head.replace(/\r\n/g, ""), /[\r\n]/, "no bare CR or LF");
  assert.match(text, /^References: <r1@example\.comBcc:g@evil\.example> <r2@example\.com>\r$/m);
});
