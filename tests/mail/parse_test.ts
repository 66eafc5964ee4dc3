import assert from "node:assert/strict";
import fc from "fast-check";
import { clipHtml, clipText, MAX_SHOWN_CHARS, parseMessage } from "../../mail/parse.ts";

// deno-lint-ignore no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/;

/** Bytes of a string whose characters are all below U+0100 (how raw 8-bit mail is written here). */
function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/** A message from header lines and a body, joined with CRLF unless told otherwise. */
function mail(headers: string[], body: string, eol = "\r\n"): Uint8Array {
  return latin1([...headers, "", body].join(eol));
}

// ISO-2022-JP bytes as Windows writes them (CP50220): NEC row 13 (①②㈱), ～ at 0x2141, half-width
// katakana after ESC ( I, and NEC-selected IBM extensions (髙﨑 in row 92).
const JIS_SUBJECT = "\x1b$B!ZLd$$9g$o$;![-!-j!A$N7o\x1b(B"; // 【問い合わせ】①㈱～の件
const JIS_NAME = "\x1b$B;3EDB@O:\x1b(B"; // 山田太郎
const JIS_FILENAME = "\x1b$B@A5a=q-!\x1b(B.pdf"; // 請求書①.pdf
const JIS_BODY = '\x1b$B$*@$OC$K$J$C$F$*$j$^$9!#-!-"-j!A\x1b(I123\x1b$B|byu\x1b(B';
const JAPANESE_BODY = "お世話になっております。①②㈱～ｱｲｳ髙﨑";
// The same sentence in CP932 (Shift_JIS as Windows writes it), as raw bytes.
const SJIS_BODY = atob("gqiQophigsmCyILBgsSCqILogtyCt4FCh0CHQYeKgWCxsrPu4O2V");

Deno.test("parse: a Gmail reply keeps threading ids without brackets and lower-cases addresses", async () => {
  const raw = mail(
    [
      "MIME-Version: 1.0",
      "References: <ticket-42@help.example.test> <CAExample1=abc@mail.gmail.com>",
      "In-Reply-To: <CAExample1=abc@mail.gmail.com>",
      "From: Taro Yamada <Taro.Yamada@Gmail.COM>",
      "Date: Tue, 3 Mar 2026 10:15:02 +0900",
      "Message-ID: <CAExample2+xyz@mail.gmail.com>",
      "Subject: Re: [#42] Invoice question",
      "To: Support <Support@Example.Test>",
      'Content-Type: multipart/alternative; boundary="000000000000abcdef"',
    ],
    [
      "--000000000000abcdef",
      'Content-Type: text/plain; charset="UTF-8"',
      "",
      "Thanks, that works.",
      "",
      "On Mon, Mar 2, 2026 at 9:00 AM Support <support@example.test> wrote:",
      "> Please try again.",
      "--000000000000abcdef",
      'Content-Type: text/html; charset="UTF-8"',
      "",
      '<div dir="ltr">Thanks, that works.</div><br><div class="gmail_quote"><blockquote>Please try again.</blockquote></div>',
      "--000000000000abcdef--",
    ].join("\r\n"),
  );
  const message = await parseMessage(raw);
  assert.equal(message.messageId, "CAExample2+xyz@mail.gmail.com");
  assert.deepEqual(message.inReplyTo, ["CAExample1=abc@mail.gmail.com"]);
  assert.deepEqual(message.references, [
    "ticket-42@help.example.test",
    "CAExample1=abc@mail.gmail.com",
  ]);
  assert.deepEqual(message.from, { address: "taro.yamada@gmail.com", name: "Taro Yamada" });
  assert.deepEqual(message.to, [{ address: "support@example.test", name: "Support" }]);
  assert.equal(message.subject, "Re: [#42] Invoice question");
  assert.equal(message.date, Date.UTC(2026, 2, 3, 1, 15, 2));
  assert.match(message.text, /^Thanks, that works\.\n/);
  assert.ok(message.html?.includes("<blockquote>Please try again.</blockquote>"));
  assert.equal(message.autoKind, "none");
});

Deno.test("parse: an Outlook reply in ISO-2022-JP keeps its inline image by cid", async () => {
  const raw = mail(
    [
      `From: =?iso-2022-jp?B?${btoa(JIS_NAME)}?= <yamada@example.co.jp>`,
      "To: support@example.test",
      `Subject: =?iso-2022-jp?B?${btoa("RE: " + JIS_SUBJECT)}?=`,
      "Thread-Topic: =?iso-2022-jp?B?GyRCJUYlOSVIGyhC?=",
      "Thread-Index: AdmTESTAAAAAAAAAAAAAAAAAAAAA==",
      "Date: Wed, 4 Mar 2026 01:02:03 +0000",
      "Message-ID: <TY1PR01MB0001.jpnprd01.prod.outlook.com>",
      "References: <ticket-7@help.example.test>",
      "In-Reply-To: <ticket-7@help.example.test>",
      "Content-Language: ja-JP",
      "X-MS-Has-Attach: yes",
      "MIME-Version: 1.0",
      'Content-Type: multipart/related; boundary="_rel_"; type="multipart/alternative"',
    ],
    [
      "--_rel_",
      'Content-Type: multipart/alternative; boundary="_alt_"',
      "",
      "--_alt_",
      'Content-Type: text/plain; charset="iso-2022-jp"',
      "Content-Transfer-Encoding: 7bit",
      "",
      JIS_BODY,
      "--_alt_",
      'Content-Type: text/html; charset="iso-2022-jp"',
      "Content-Transfer-Encoding: 7bit",
      "",
      `<html><head><style>p{color:red}</style></head><body><p>${JIS_BODY}</p><img src="cid:image001.png@01DA0000.00000000" width="10"></body></html>`,
      "--_alt_--",
      "--_rel_",
      'Content-Type: image/png; name="image001.png"',
      "Content-Description: image001.png",
      'Content-Disposition: inline; filename="image001.png"',
      "Content-ID: <image001.png@01DA0000.00000000>",
      "Content-Transfer-Encoding: base64",
      "",
      "iVBORw0KGgo=",
      "--_rel_--",
    ].join("\r\n"),
  );
  const message = await parseMessage(raw);
  assert.equal(message.subject, "RE: 【問い合わせ】①㈱～の件");
  assert.deepEqual(message.from, { address: "yamada@example.co.jp", name: "山田太郎" });
  assert.equal(message.text.trim(), JAPANESE_BODY);
  assert.deepEqual(message.inReplyTo, ["ticket-7@help.example.test"]);
  assert.equal(
    message.html,
    `<p>${JAPANESE_BODY}</p><img width="10" src="cid:image001.png@01DA0000.00000000" />`,
  );
  assert.equal(message.attachments.length, 1);
  const [image] = message.attachments;
  assert.equal(image.filename, "image001.png");
  assert.equal(image.contentType, "image/png");
  assert.equal(image.contentId, "image001.png@01DA0000.00000000");
  assert.equal(image.disposition, "inline");
  assert.deepEqual([...image.content], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
});

Deno.test("parse: an iPhone reply with folded References and a split UTF-8 subject", async () => {
  const raw = mail(
    [
      "Content-Type: text/plain; charset=utf-8",
      "Content-Transfer-Encoding: quoted-printable",
      "From: =?utf-8?B?5L2Q6Jek?= <sato@icloud.com>",
      "Mime-Version: 1.0 (1.0)",
      "Date: Thu, 5 Mar 2026 18:30:00 +0900",
      "Subject: =?utf-8?B?UmU6IOiri+axguabuA==?=",
      " =?utf-8?B?44Gr44Gk44GE44Gm?=",
      "Message-Id: <5A1B2C3D-0000-4000-8000-000000000001@icloud.com>",
      "References: <ticket-9@help.example.test>",
      "\t<reply-1@help.example.test>",
      "  <reply-1@help.example.test>",
      "In-Reply-To: <reply-1@help.example.test>",
      "To: support@example.test",
      "X-Mailer: iPhone Mail (21D61)",
    ],
    "=E4=BA=86=E8=A7=A3=E3=81=A7=E3=81=99=E3=80=82\r\n\r\niPhone=E3=81=8B=E3=82=89=E9=80=81=E4=BF=A1\r\n",
  );
  const message = await parseMessage(raw);
  assert.equal(message.subject, "Re: 請求書について");
  assert.deepEqual(message.references, ["ticket-9@help.example.test", "reply-1@help.example.test"]);
  assert.deepEqual(message.from, { address: "sato@icloud.com", name: "佐藤" });
  assert.equal(message.text, "了解です。\n\niPhoneから送信\n");
  assert.equal(message.html, null);
});

Deno.test("parse: ISO-2022-JP subject, name, body and attachment filename decode like CP50220", async () => {
  const raw = mail(
    [
      `From: =?ISO-2022-JP?B?${btoa(JIS_NAME)}?= <yamada@example.co.jp>`,
      `Subject: =?ISO-2022-JP?B?${btoa(JIS_SUBJECT)}?=`,
      "MIME-Version: 1.0",
      'Content-Type: multipart/mixed; boundary="b1"',
    ],
    [
      "--b1",
      "Content-Type: text/plain; charset=ISO-2022-JP",
      "Content-Transfer-Encoding: 7bit",
      "",
      JIS_BODY,
      "--b1",
      `Content-Type: application/pdf; name="=?ISO-2022-JP?B?${btoa(JIS_FILENAME)}?="`,
      `Content-Disposition: attachment; filename="=?ISO-2022-JP?B?${btoa(JIS_FILENAME)}?="`,
      "Content-Transfer-Encoding: base64",
      "",
      btoa("%PDF-1.4 test"),
      "--b1",
      "Content-Type: text/plain; name*=ISO-2022-JP''%1B%24B%3B3ED%1B%28B.txt",
      "Content-Disposition: attachment; filename*=ISO-2022-JP''%1B%24B%3B3ED%1B%28B.txt",
      "",
      "memo",
      "--b1--",
    ].join("\r\n"),
  );
  const message = await parseMessage(raw);
  assert.equal(message.subject, "【問い合わせ】①㈱～の件");
  assert.equal(message.from?.name, "山田太郎");
  assert.equal(message.text.trim(), JAPANESE_BODY);
  assert.deepEqual(message.attachments.map((a) => a.filename), ["請求書①.pdf", "山田.txt"]);
  assert.equal(new TextDecoder().decode(message.attachments[0].content), "%PDF-1.4 test");
  assert.equal(message.attachments[0].disposition, "attachment");
});

Deno.test("parse: ISO-2022-JP under labels mailparser does not map (CP50220, none) still decodes", async () => {
  for (
    const contentType of [
      "text/plain; charset=CP50220",
      "text/plain",
      "text/plain; charset=csISO2022JP",
    ]
  ) {
    const raw = mail([
      `Subject: =?CP50221?B?${btoa(JIS_SUBJECT)}?=`,
      `Content-Type: ${contentType}`,
    ], JIS_BODY);
    const message = await parseMessage(raw);
    assert.equal(message.subject, "【問い合わせ】①㈱～の件", contentType);
    assert.equal(message.text.trim(), JAPANESE_BODY, contentType);
  }
});

Deno.test("parse: raw ISO-2022-JP in a header (no encoded word) is decoded", async () => {
  const raw = mail([
    `From: ${JIS_NAME} <yamada@example.co.jp>`,
    `Subject: ${JIS_SUBJECT}`,
    "Content-Type: text/plain; charset=ISO-2022-JP",
  ], JIS_BODY);
  const message = await parseMessage(raw);
  assert.equal(message.subject, "【問い合わせ】①㈱～の件");
  assert.equal(message.from?.name, "山田太郎");
});

Deno.test("parse: Shift_JIS body and subject decode like CP932", async () => {
  const raw = mail([
    `Subject: =?Shift_JIS?B?${btoa(SJIS_BODY)}?=`,
    "Content-Type: text/plain; charset=Shift_JIS",
    "Content-Transfer-Encoding: 8bit",
  ], SJIS_BODY);
  const message = await parseMessage(raw);
  assert.equal(message.subject, JAPANESE_BODY);
  assert.equal(message.text.trim(), JAPANESE_BODY);
});

Deno.test("parse: raw 8-bit Shift_JIS and Big5 headers use the declared charset", async () => {
  const sjis = await parseMessage(mail([
    `From: ${SJIS_BODY.slice(0, 8)} <a@example.jp>`,
    `Subject: ${SJIS_BODY}`,
    "Content-Type: text/plain; charset=Shift_JIS",
  ], SJIS_BODY));
  assert.equal(sjis.subject, JAPANESE_BODY);
  assert.equal(sjis.from?.name, "お世話に");
  // "中文" in Big5, declared only on a nested part.
  const big5 = await parseMessage(mail([
    "Subject: \xa4\xa4\xa4\xe5 test",
    'Content-Type: multipart/mixed; boundary="x"',
  ], '--x\r\nContent-Type: text/plain; charset="big5"\r\n\r\n\xa4\xa4\xa4\xe5\r\n--x--'));
  assert.equal(big5.subject, "中文 test");
  assert.equal(big5.text.trim(), "中文");
});

Deno.test("parse: undeclared 8-bit header bytes fall back to windows-1252 instead of U+FFFD", async () => {
  const message = await parseMessage(mail(["Subject: Forma\xe7\xe3o \x93quoted\x94"], "x"));
  assert.equal(message.subject, "Formação “quoted”");
});

Deno.test("parse: encoded-word subjects decode, join and drop folding whitespace", async () => {
  const cases: [string, string][] = [
    ["=?UTF-8?Q?Caf=C3=A9_cr=C3=A8me?=", "Café crème"],
    ["Re: =?ISO-8859-1?Q?Andr=E9?= Pirard", "Re: André Pirard"],
    ["=?UTF-8?B?44GC?= =?UTF-8?B?44GE?=", "あい"],
    ["=?utf-8?Q?a?=\r\n =?utf-8?Q?b?=", "ab"],
    [
      "Re: TEST\r\n \r\n\t=?ISO-2022-JP?B?GyRCJUYlOSVIGyhC?=\r\n  =?ISO-2022-JP?B?GyRCJUYlOSVIGyhC?=",
      "Re: TEST テストテスト",
    ],
    ["=?EUC-KR?Q?=C7=D1=B1=B9=BE=EE?=", "한국어"],
    ["=?UTF-8?B?broken", "=?UTF-8?B?broken"],
  ];
  for (const [header, expected] of cases) {
    const message = await parseMessage(mail([`Subject: ${header}`], "x"));
    assert.equal(message.subject, expected, header);
  }
});

Deno.test("parse: bare LF and CR-only line endings parse the same as CRLF", async () => {
  const headers = [
    "From: a@example.test",
    "Subject: Line endings",
    "Message-ID: <le@example.test>",
  ];
  for (const eol of ["\r\n", "\n", "\r"]) {
    const message = await parseMessage(mail(headers, `one${eol}two${eol}`, eol));
    assert.equal(message.subject, "Line endings", JSON.stringify(eol));
    assert.equal(message.messageId, "le@example.test");
    assert.equal(message.from?.address, "a@example.test");
    assert.equal(message.text, "one\ntwo\n", JSON.stringify(eol));
  }
});

Deno.test("parse: NUL bytes and control characters never reach subject or text", async () => {
  const raw = mail([
    "Subject: =?UTF-8?Q?a=00b=07c=1Bd?= e\x00f",
    "Content-Type: text/plain; charset=utf-8",
  ], "body\x00 with nul\r\n");
  const message = await parseMessage(raw);
  assert.equal(message.subject, "abcd ef");
  assert.equal(message.text, "body with nul\n");
});

Deno.test("parse: empty and garbage threading headers become empty lists or bare ids", async () => {
  const message = await parseMessage(mail([
    "Message-ID:   ",
    "In-Reply-To: ",
    'References: garbage <a@x> "quoted <q@x>" (comment <c@x>) <b@x> <a@x> <>',
    "Subject: ids",
  ], "x"));
  assert.equal(message.messageId, null);
  assert.deepEqual(message.inReplyTo, []);
  assert.deepEqual(message.references, ["a@x", "b@x"]);

  const eudora = await parseMessage(mail([
    "Message-ID: bare-id@example.test",
    'In-Reply-To: Your message of "Mon, 2 Mar 2026" <orig@example.test>',
    "References: one@x two@x, three@x",
  ], "x"));
  assert.equal(eudora.messageId, "bare-id@example.test");
  assert.deepEqual(eudora.inReplyTo, ["orig@example.test"]);
  assert.deepEqual(eudora.references, ["one@x", "two@x", "three@x"]);
});

Deno.test("parse: very long References keep the thread root and the newest ids", async () => {
  const ids = Array.from({ length: 150 }, (_, i) => `<r${i}@x>`).join(" ");
  const message = await parseMessage(mail([`References: ${ids}`], "x"));
  assert.equal(message.references.length, 100);
  assert.equal(message.references[0], "r0@x");
  assert.equal(message.references[1], "r51@x");
  assert.equal(message.references.at(-1), "r149@x");
});

Deno.test("parse: dates become epoch ms, and null when absent or unreadable", async () => {
  const cases: [string | null, number | null][] = [
    ["Fri, 21 Nov 1997 09:55:06 -0600", Date.UTC(1997, 10, 21, 15, 55, 6)],
    ["Thu, 29 Apr 2011 23:34:45 +0900 (JST)", Date.UTC(2011, 3, 29, 14, 34, 45)],
    ["21 Nov 97 09:55 GMT", Date.UTC(1997, 10, 21, 9, 55)],
    ["Fri, 21 Nov 1997 09(comment):   55  :  06 -0600", Date.UTC(1997, 10, 21, 15, 55, 6)],
    ["Thursday, April 09, 2003 9:00 PM", Date.UTC(2003, 3, 9, 21, 0)],
    ["Wed, 15 Dec 2010    59:10 -0500", null],
    ["Pn, 29 paX 2007 21:13:00 +0100", null],
    ["garbage 12", null],
    [null, null],
  ];
  for (const [header, expected] of cases) {
    const headers = header === null ? ["Subject: no date"] : [`Date: ${header}`];
    assert.equal((await parseMessage(mail(headers, "x"))).date, expected, String(header));
  }
});

Deno.test("parse: an HTML-only mail gets text derived from its sanitized HTML", async () => {
  const root = await parseMessage(mail(
    ["Subject: html", "Content-Type: text/html; charset=utf-8"],
    "<p>Hello <b>there</b></p><script>alert(1)</script><p>Line&nbsp;two</p>",
  ));
  assert.match(root.text, /Hello there/);
  assert.match(root.text, /Line.two/);
  assert.doesNotMatch(root.text, /alert/);
  assert.equal(root.html, "<p>Hello <b>there</b></p><p>Line\u00a0two</p>");

  // mailparser derives no text for an HTML part inside multipart/mixed.
  const mixed = await parseMessage(mail(
    ["Subject: html", 'Content-Type: multipart/mixed; boundary="m"'],
    [
      "--m",
      "Content-Type: text/html; charset=utf-8",
      "",
      "<div>First &amp; <i>second</i></div><div>Third</div>",
      "--m",
      "Content-Type: application/octet-stream",
      "Content-Disposition: attachment",
      "",
      "data",
      "--m--",
    ].join("\r\n"),
  ));
  assert.equal(mixed.text, "First & second\nThird");
  assert.equal(mixed.attachments[0].filename, "attachment-1.bin");
});

Deno.test("parse: attachment names lose path separators and controls", async () => {
  const message = await parseMessage(mail(
    ['Content-Type: multipart/mixed; boundary="m"'],
    [
      "--m",
      'Content-Disposition: attachment; filename="../../etc/pass\twd"',
      "",
      "x",
      "--m--",
    ].join("\r\n"),
  ));
  assert.equal(message.attachments[0].filename, "_.._etc_pass wd");
});

Deno.test("parse: a delivery report is classified as a bounce", async () => {
  const message = await parseMessage(mail([
    "From: Mail Delivery System <MAILER-DAEMON@mx.example.test>",
    "Subject: Undelivered Mail Returned to Sender",
    "Auto-Submitted: auto-replied",
    'Content-Type: multipart/report; report-type=delivery-status; boundary="r"',
  ], "--r\r\nContent-Type: text/plain\r\n\r\nfailed\r\n--r--"));
  assert.equal(message.autoKind, "bounce");
});

Deno.test("parse: empty input throws a clear Error", async () => {
  await assert.rejects(parseMessage(new Uint8Array()), {
    name: "Error",
    message: "Cannot parse message: it is empty",
  });
});

Deno.test("parse: arbitrary bytes either parse clean or throw a clear Error", async () => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 3000 }), async (bytes) => {
      try {
        const message = await parseMessage(bytes);
        assert.doesNotMatch(message.subject, CONTROL);
        assert.ok(!message.text.includes("\0"));
      } catch (error) {
        assert.ok(error instanceof Error);
        assert.match(error.message, /^Cannot parse message: /);
      }
    }),
    { numRuns: 150 },
  );
});

Deno.test("parse: arbitrary header values never leak NUL or controls into the subject", async () => {
  const headerValue = fc.string({ unit: "binary", maxLength: 200 }).map((s) =>
    s.replace(/[\r\n]/g, " ")
  );
  await fc.assert(
    fc.asyncProperty(
      headerValue,
      headerValue,
      fc.string({ maxLength: 500 }),
      async (subject, from, body) => {
        const raw = new TextEncoder().encode(
          `Subject: ${subject}\r\nFrom: ${from}\r\nIn-Reply-To: ${from}\r\n\r\n${body}`,
        );
        const message = await parseMessage(raw);
        assert.doesNotMatch(message.subject, CONTROL);
        assert.ok(!message.text.includes("\0"));
        for (const id of message.inReplyTo) assert.doesNotMatch(id, /[<>\s]/);
      },
    ),
    { numRuns: 150 },
  );
});

Deno.test("parse: a body over MAX_SHOWN_CHARS keeps its beginning, says how long the whole was", async () => {
  const utf8 = (headers: string[], body: string) =>
    new TextEncoder().encode([...headers, "", body].join("\r\n"));
  const html = "<html><body><table>" +
    '<tr><td><a href="https://example.com/a">商品のご案内</a></td></tr>\r\n'.repeat(12_000) +
    "</table><p>末尾の段落</p></body></html>";
  assert.ok(html.length > MAX_SHOWN_CHARS);
  const htmlOnly = await parseMessage(utf8([
    "From: news@example.com",
    "Subject: big",
    "MIME-Version: 1.0",
    "Content-Type: text/html; charset=utf-8",
    "Content-Transfer-Encoding: 8bit",
  ], html));
  // The whole part's length as decoded (line breaks as LF).
  assert.equal(htmlOnly.clipped?.html, html.replaceAll("\r\n", "\n").length);
  assert.equal(htmlOnly.clipped?.text, undefined);
  assert.doesNotMatch(htmlOnly.html!, /末尾の段落/);
  // Cut before the tag the limit fell in: every kept row whole, the open table closed.
  assert.match(htmlOnly.html!, /<\/table><\/body><\/html>$|<\/tr>(?:<\/tbody>)?<\/table>/);
  assert.ok(htmlOnly.html!.length < MAX_SHOWN_CHARS * 2); // links gain target and rel
  // HTML-only mail gets its text from the kept HTML.
  assert.match(htmlOnly.text, /^商品のご案内/);

  const lines = "ログ 2026-12-01 error at step 42\n".repeat(20_000);
  const text = await parseMessage(utf8([
    "From: ops@example.com",
    "Subject: log",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
  ], lines));
  assert.equal(text.clipped?.text, lines.length);
  assert.ok(text.text.length <= MAX_SHOWN_CHARS && text.text.length > MAX_SHOWN_CHARS * 0.9);
  assert.ok(text.text.endsWith("step 42\n"), "ended at a line break");

  const small = await parseMessage(utf8(["From: a@example.com", "Subject: s"], "短い本文"));
  assert.equal(small.clipped, undefined);
});

Deno.test("parse: clipping never splits a character, nor keeps more than the limit", () => {
  fc.assert(
    fc.property(
      fc.string({ unit: "grapheme", minLength: 1, maxLength: 8 }),
      fc.integer({ min: 0, max: 8 }),
      fc.boolean(),
      (unit, shift, breaks) => {
        const body = "x".repeat(shift) +
          (unit + (breaks ? "" : "")).repeat(Math.ceil((MAX_SHOWN_CHARS + 64) / unit.length));
        for (const kept of [clipText(body), clipHtml(body)]) {
          assert.ok(kept.length <= MAX_SHOWN_CHARS && kept.length > 0);
          assert.ok(body.startsWith(kept));
          const last = kept.charCodeAt(kept.length - 1);
          assert.ok(!(last >= 0xd800 && last <= 0xdbff), "no lone high surrogate at the end");
        }
      },
    ),
    { numRuns: 40 },
  );
});
