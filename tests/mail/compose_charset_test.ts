/** Outbound charset: ISO-2022-JP replies that our own parser reads back as the same Japanese. */
import assert from "node:assert/strict";
import { composeReply, type ReplyDraft } from "../../mail/compose.ts";
import { parseMessage } from "../../mail/parse.ts";
import { encodedWords, encodeIso2022Jp } from "../../mail/iso_2022_jp.ts";
import { loadConfig } from "../../config.ts";

function draft(over: Partial<ReplyDraft> = {}): ReplyDraft {
  return {
    fromName: "サポート窓口",
    supportAddress: "support@example.test",
    to: { address: "taro@example.com", name: "山田 太郎" },
    ticketSubject: "①㈱～の請求書について",
    ticketNumber: 1001,
    replyToken: "abc123",
    subjectTagPrefix: "#",
    inReplyTo: "q1@example.com",
    references: ["q0@example.com"],
    text: "山田様\n\nお問い合わせありがとうございます。\n①㈱～ ｶﾀｶﾅ ﾊﾞﾅﾅ\nASCII line\n",
    date: new Date("2030-01-02T03:04:05Z"),
    charset: "iso-2022-jp",
    ...over,
  };
}

const latin1 = (bytes: Uint8Array) => new TextDecoder("latin1").decode(bytes);

Deno.test("compose: an ISO-2022-JP reply is 7bit with charset and encoded-word headers", async () => {
  const mail = await composeReply(draft());
  const raw = latin1(mail.raw);
  const [head] = raw.split("\r\n\r\n");
  assert.match(head, /^Content-Type: text\/plain; charset=ISO-2022-JP$/m);
  assert.match(head, /^Content-Transfer-Encoding: 7bit$/m);
  assert.match(head, /^Subject: =\?ISO-2022-JP\?B\?[A-Za-z0-9+/=]+\?=/m);
  assert.match(head, /^From: =\?ISO-2022-JP\?B\?/m);
  assert.match(head, /^Message-ID: <abc123\.[0-9a-f]{16}@example\.test>$/m);
  assert.match(head, /^In-Reply-To: <q1@example.com>$/m);
  assert.match(head, /^References: <q0@example.com> <q1@example.com>$/m);
  for (const line of raw.split("\r\n")) assert.ok(line.length <= 78, line);
  assert.ok(mail.raw.every((b) => b < 0x80), "every byte is 7-bit");
  assert.ok(raw.includes("\x1b$B"), "the body holds JIS escapes, not base64");
});

Deno.test("compose: our parser decodes an ISO-2022-JP reply back to the same Japanese, half-width katakana made full-width", async () => {
  const mail = await composeReply(draft());
  const parsed = await parseMessage(mail.raw);
  assert.equal(parsed.subject, "Re: ①㈱～の請求書について [#1001]");
  assert.equal(parsed.subject, mail.subject);
  assert.deepEqual(parsed.from, { address: "support@example.test", name: "サポート窓口" });
  assert.deepEqual(parsed.to, [{ address: "taro@example.com", name: "山田 太郎" }]);
  assert.equal(
    parsed.text.trimEnd(),
    "山田様\n\nお問い合わせありがとうございます。\n①㈱～ カタカナ バナナ\nASCII line",
  );
  assert.deepEqual(parsed.inReplyTo, ["q1@example.com"]);
  assert.equal(parsed.messageId, mail.messageId);
});

Deno.test("compose: a long subject splits into encoded words that each stand alone", async () => {
  const subject = "長い件名".repeat(20);
  const mail = await composeReply(draft({ ticketSubject: subject }));
  const head = latin1(mail.raw).split("\r\n\r\n")[0];
  const words = head.match(/=\?ISO-2022-JP\?B\?[^?]+\?=/g)!;
  assert.ok(words.length > 3);
  for (const w of words) {
    const decoded = atob(w.slice(16, -2));
    const lastEscape = decoded.lastIndexOf("\x1b");
    assert.equal(decoded.slice(lastEscape, lastEscape + 3), "\x1b(B", "each word ends in ASCII");
  }
  assert.equal((await parseMessage(mail.raw)).subject, `Re: ${subject} [#1001]`);
});

Deno.test("compose: a paragraph longer than 998 bytes goes out as base64, still ISO-2022-JP", async () => {
  const text = "あ".repeat(600);
  const mail = await composeReply(draft({ text }));
  const head = latin1(mail.raw).split("\r\n\r\n")[0];
  assert.match(head, /charset=ISO-2022-JP/);
  assert.match(head, /^Content-Transfer-Encoding: base64$/m);
  assert.equal((await parseMessage(mail.raw)).text.trimEnd(), text);
});

Deno.test("compose: a reply with characters ISO-2022-JP lacks falls back to UTF-8, losing nothing", async () => {
  const mail = await composeReply(draft({ text: "ありがとうございます 😀 €5" }));
  const head = latin1(mail.raw).split("\r\n\r\n")[0];
  assert.match(head, /charset=utf-8/i);
  assert.equal((await parseMessage(mail.raw)).text.trimEnd(), "ありがとうございます 😀 €5");
});

Deno.test("compose: UTF-8 stays the default charset", async () => {
  const mail = await composeReply(draft({ charset: undefined }));
  assert.match(latin1(mail.raw), /charset=utf-8/i);
  assert.equal((await parseMessage(mail.raw)).subject, "Re: ①㈱～の請求書について [#1001]");
});

Deno.test("iso-2022-jp: JIS X 0212 and emoji are refused rather than sent as '?'", () => {
  assert.equal(encodeIso2022Jp("café"), null);
  assert.equal(encodeIso2022Jp("👍"), null);
  assert.equal(encodedWords("€"), null);
  assert.notEqual(encodeIso2022Jp("ｱｲｳ ①㈱～ 髙 ―￥"), null);
});

Deno.test("config: MADOGUCHI_OUTBOUND_CHARSET accepts utf-8 and iso-2022-jp only", () => {
  const base = { MADOGUCHI_MAIL_DOMAINS: "example.test" };
  assert.equal(loadConfig(base).outboundCharset, "utf-8");
  assert.equal(
    loadConfig({ ...base, MADOGUCHI_OUTBOUND_CHARSET: "ISO-2022-JP" }).outboundCharset,
    "iso-2022-jp",
  );
  assert.throws(
    () => loadConfig({ ...base, MADOGUCHI_OUTBOUND_CHARSET: "shift_jis" }),
    /MADOGUCHI_OUTBOUND_CHARSET/,
  );
});

Deno.test("compose: an ISO-2022-JP reply carries Cc, keeps Bcc in the envelope; with files it is UTF-8", async () => {
  const recipients = {
    to: [{ address: "taro@example.com", name: "山田 太郎" }],
    cc: [{ address: "keiri@example.com", name: "経理部" }, { address: "b@example.com", name: "" }],
    bcc: [{ address: "boss@example.org", name: "" }],
  };
  const mail = await composeReply(draft({ recipients }));
  const raw = latin1(mail.raw);
  assert.match(raw, /charset=ISO-2022-JP/);
  assert.match(raw, /^Cc: =\?ISO-2022-JP\?B\?[^\r\n]+<keiri@example\.com>,/m);
  assert.doesNotMatch(raw, /boss@example\.org/);
  assert.deepEqual(mail.envelope.to, [
    "taro@example.com",
    "keiri@example.com",
    "b@example.com",
    "boss@example.org",
  ]);
  const parsed = await parseMessage(mail.raw);
  assert.deepEqual(parsed.cc, recipients.cc);

  const withFile = await composeReply(draft({
    recipients,
    attachments: [{
      filename: "請求書.pdf",
      contentType: "application/pdf",
      content: new Uint8Array([1, 2]),
    }],
  }));
  const utf8 = latin1(withFile.raw);
  assert.match(utf8, /multipart\/mixed/);
  assert.doesNotMatch(utf8, /boss@example\.org/);
  const back = await parseMessage(withFile.raw);
  assert.deepEqual(back.attachments.map((a) => a.filename), ["請求書.pdf"]);
  assert.match(back.text, /お問い合わせありがとうございます/);
});
