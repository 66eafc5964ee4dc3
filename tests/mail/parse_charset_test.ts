/** Charset detection for what senders mislabel or leave unlabelled (mail/charset.ts, mime_repair.ts). */
import assert from "node:assert/strict";
import { parseMessage } from "../../mail/parse.ts";
import { detectCharset } from "../../mail/charset.ts";

/** Bytes from hex, as the legacy encoders write them. */
function hex(text: string): string {
  return String.fromCharCode(...text.match(/../g)!.map((h) => parseInt(h, 16)));
}

// The same strings in each legacy charset (checked against iconv-lite).
const SJIS_SUBJECT = hex("90bf8b818f9182cc8dc494ad8d7382c982c282a282c4"); // 請求書の再発行について
const SJIS_NAME = hex("8e52936391be9859"); // 山田太郎
const SJIS_FILENAME = hex("8ca990cf8f912e706466"); // 見積書.pdf
const SJIS_BODY = hex(
  "82a890a2986282c982c882c182c482a882e882dc82b781420a90bf8b818f9182f08dc494ad8d7382b582c482ad82be82b382a281420a",
); // お世話になっております。\n請求書を再発行してください。\n
const EUCJP_SUBJECT = hex("c0c1b5e1bdf1a4cebac6c8afb9d4a4cba4c4a4a4a4c6"); // 請求書の再発行について
const GB_SUBJECT = hex("c8abd0c2d4add7b0bdf8bfdaa3accbcdbbf5c9cfc3c5"); // 全新原装进口，送货上门
const GB_NAME = hex("cca8cde5f6cec1fac9ccc3b3"); // 台湾鑫龙商贸
const BIG5_SUBJECT = hex("b964c3fb36a4eb3137a4e9b773a4f9a453a8ec"); // 鉅靡6月17日新片又到
const BIG5_NAME = hex("b3afa46aa4e5"); // 陳大文
const KR_SUBJECT = hex("bec8b3e7c7cfbcbcbfe420b9aec0c7b5e5b8b3b4cfb4d9"); // 안녕하세요 문의드립니다
const KR_NAME = hex("b1e8c3b6bcf6"); // 김철수

function mail(headers: string[], body: string): Uint8Array {
  return Uint8Array.from([...headers, "", body].join("\r\n"), (c) => c.charCodeAt(0));
}

/** A multipart mail whose top level says Latin-1 while its text part names the real charset. */
function mislabelled(subject: string, name: string, partCharset: string): Uint8Array {
  return mail(
    [
      `From: ${name} <sender@example.com>`,
      "To: support@example.test",
      `Subject: ${subject}`,
      "MIME-Version: 1.0",
      'Content-Type: multipart/alternative; boundary="b"; charset=iso-8859-1',
    ],
    [
      "--b",
      `Content-Type: text/plain; charset=${partCharset}`,
      "",
      "hello",
      "--b--",
      "",
    ].join("\r\n"),
  );
}

Deno.test("charset: Shift_JIS in encoded words labelled ISO-2022-JP decodes in subject and name", async () => {
  const raw = mail(
    [
      `From: =?ISO-2022-JP?B?${btoa(SJIS_NAME)}?= <taro@example.jp>`,
      "To: support@example.test",
      `Subject: =?ISO-2022-JP?B?${btoa(SJIS_SUBJECT.slice(0, 8))}?=`,
      ` =?ISO-2022-JP?B?${btoa(SJIS_SUBJECT.slice(8))}?=`,
      "MIME-Version: 1.0",
      "Content-Type: text/plain; charset=ISO-2022-JP",
    ],
    "hello",
  );
  const message = await parseMessage(raw);
  assert.equal(message.subject, "請求書の再発行について");
  assert.deepEqual(message.from, { address: "taro@example.jp", name: "山田太郎" });
});

Deno.test("charset: raw 8-bit Shift_JIS and EUC-JP headers labelled ISO-2022-JP decode", async () => {
  for (const [subject, name] of [[SJIS_SUBJECT, SJIS_NAME], [EUCJP_SUBJECT, ""]]) {
    const raw = mail(
      [
        `From: ${name} <taro@example.jp>`,
        `Subject: ${subject}`,
        "Content-Type: text/plain; charset=iso-2022-jp",
      ],
      "hello",
    );
    const message = await parseMessage(raw);
    assert.equal(message.subject, "請求書の再発行について");
    assert.equal(message.from?.name, name === "" ? "" : "山田太郎");
  }
});

Deno.test("charset: GB2312, Big5 and EUC-KR headers beat a declared single-byte charset", async () => {
  const cases = [
    [GB_SUBJECT, GB_NAME, "gb2312", "全新原装进口，送货上门", "台湾鑫龙商贸"],
    [BIG5_SUBJECT, BIG5_NAME, "big5", "鉅靡6月17日新片又到", "陳大文"],
    [KR_SUBJECT, KR_NAME, "euc-kr", "안녕하세요 문의드립니다", "김철수"],
  ];
  for (const [subject, name, charset, expectedSubject, expectedName] of cases) {
    const message = await parseMessage(mislabelled(subject, name, charset));
    assert.equal(message.subject, expectedSubject, charset);
    assert.equal(message.from?.name, expectedName, charset);
  }
});

Deno.test("charset: undeclared 8-bit GB2312 and EUC-KR headers are detected, Latin-1 stays Latin-1", async () => {
  const cases = [
    [GB_SUBJECT, "全新原装进口，送货上门"],
    [KR_SUBJECT, "안녕하세요 문의드립니다"],
    [hex("466f726d61e7e36f20566572e36f"), "Formação Verão"],
  ];
  for (const [subject, expected] of cases) {
    const message = await parseMessage(mail([`Subject: ${subject}`, "From: a@example.com"], "x"));
    assert.equal(message.subject, expected);
  }
});

Deno.test("charset: a raw 8-bit attachment name in a part header decodes", async () => {
  const raw = mail(
    [
      "From: taro@example.jp",
      "Subject: files",
      "MIME-Version: 1.0",
      'Content-Type: multipart/mixed; boundary="zz"',
    ],
    [
      "--zz",
      "Content-Type: text/plain; charset=ISO-2022-JP",
      "",
      "see attached",
      "--zz",
      `Content-Type: application/pdf; name="${SJIS_FILENAME}"`,
      `Content-Disposition: attachment; filename="${SJIS_FILENAME}"`,
      "Content-Transfer-Encoding: base64",
      "",
      "JVBERi0=",
      "--zz--",
      "",
    ].join("\r\n"),
  );
  const message = await parseMessage(raw);
  assert.deepEqual(message.attachments.map((a) => a.filename), ["見積書.pdf"]);
  assert.equal(message.text.trim(), "see attached");
});

Deno.test("charset: a body with no charset is detected, raw or base64, and UTF-8 stays UTF-8", async () => {
  const expected = "お世話になっております。\n請求書を再発行してください。\n";
  const plain = await parseMessage(
    mail(["From: a@example.jp", "Subject: x", "Content-Transfer-Encoding: 8bit"], SJIS_BODY),
  );
  assert.equal(plain.text, expected);
  const base64 = await parseMessage(mail([
    "From: a@example.jp",
    "Subject: x",
    "MIME-Version: 1.0",
    "Content-Type: text/plain",
    "Content-Transfer-Encoding: base64",
  ], btoa(SJIS_BODY)));
  assert.equal(base64.text, expected);
  const utf8 = String.fromCharCode(...new TextEncoder().encode(expected));
  assert.equal(
    (await parseMessage(mail(["From: a@example.jp", "Subject: x"], utf8))).text,
    expected,
  );
});

Deno.test("charset: detectCharset prefers a valid multi-byte charset and falls back to windows-1252", () => {
  const bytes = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
  assert.equal(detectCharset(bytes(SJIS_SUBJECT), ["iso-2022-jp"]), "shift_jis");
  assert.equal(detectCharset(bytes(EUCJP_SUBJECT), ["iso-2022-jp"]), "euc-jp");
  assert.equal(detectCharset(bytes(GB_SUBJECT), ["iso-8859-1", "gb2312"]), "gbk");
  assert.equal(detectCharset(bytes("\xff\xfe\x80"), []), "windows-1252");
  assert.equal(detectCharset(new TextEncoder().encode("日本語"), ["shift_jis"]), "utf-8");
});

Deno.test("sender: two From headers give the first parseable one; a bad From falls back with its name", async () => {
  const from = async (headers: string[]) =>
    await parseMessage(mail([...headers, "Subject: x"], "x"));
  assert.deepEqual(
    (await from(["From: garbage", "From: Jiro <jiro@example.com>"])).from,
    { address: "jiro@example.com", name: "Jiro" },
  );
  const spaced = await from([
    "From: =?UTF-8?B?5bGx55Sw5aSq6YOO?= <john doe@example.com>",
    "Reply-To: taro@example.com",
  ]);
  assert.deepEqual(spaced.from, { address: "taro@example.com", name: "山田太郎" });
  const daemon = await from(["From: MAILER-DAEMON (Mail Delivery System)"]);
  assert.equal(daemon.from, null);
  assert.equal(daemon.fromName, "Mail Delivery System");
  assert.equal(daemon.autoKind, "bounce");
  const sender = await from(["From: ", "Sender: Saburo <s@example.com>"]);
  assert.deepEqual(sender.from, { address: "s@example.com", name: "Saburo" });
});

Deno.test("sender: an encoded word can never smuggle a second mailbox into an address", async () => {
  const injected = btoa("a@x.com>, <b@y.com");
  const message = await parseMessage(mail([
    `From: <=?UTF-8?B?${injected}?=>`,
    `To: support@example.test, =?UTF-8?B?${injected}?= <c@z.com>`,
    "Subject: x",
  ], "x"));
  assert.equal(message.from, null);
  assert.deepEqual(message.to.map((a) => a.address), ["support@example.test", "c@z.com"]);
});
