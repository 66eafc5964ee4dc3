/** MailBody rendered to a string: quoted history, cid images, remote images, hostile HTML. */
import assert from "node:assert/strict";
import { h } from "preact";
import { renderToString } from "preact-render-to-string";
import { type MailAttachment, MailBody, type MailBodyProps } from "../../components/MailBody.tsx";
import { splitQuoted } from "../../components/quoted_text.ts";
import { prepareMailHtml } from "../../components/mail_html.ts";
import { translator } from "../../domain/i18n/mod.ts";
import { sanitizeMailHtml } from "../../mail/sanitize_html.ts";

const LOGO: MailAttachment = {
  id: 7,
  filename: "logo.png",
  contentType: "image/png",
  contentId: "logo@example.com",
  disposition: "inline",
};

function render(over: Partial<MailBodyProps>): string {
  const props: MailBodyProps = {
    text: "",
    html: null,
    attachments: [],
    attachmentUrl: (a, mode) => `/files/${a.id}${mode === "inline" ? "/inline" : ""}`,
    showImages: false,
    showImagesHref: "/tickets/1001?images=3#m3",
    t: translator("ja"),
    ...over,
  };
  return renderToString(h(MailBody, props));
}

Deno.test("mail body: quoted history after an English attribution is collapsed", () => {
  const html = render({
    text:
      "Thanks, that works.\n\nOn Mon, 1 Jan 2024 at 10:00, Support <support@example.test> wrote:\n> Please try again.\n> Regards",
  });
  assert.match(html, /<pre class="body">Thanks, that works.<\/pre>/);
  assert.match(
    html,
    /<details class="quoted"><summary>引用を表示<\/summary><pre class="body">On Mon, 1 Jan 2024 at 10:00, Support &lt;support@example.test> wrote:\n> Please try again.\n> Regards<\/pre><\/details>/,
  );
});

Deno.test("quoted text: Japanese attributions and separators start the history", () => {
  for (
    const marker of [
      "山田 太郎 さんは書きました:",
      "2024/01/01 10:00、山田 太郎 <taro@example.com>のメール:",
      "2024年1月1日(月) 10:00 山田 <taro@example.com>:",
      "-------- 元のメッセージ --------",
      "-----Original Message-----",
    ]
  ) {
    const segments = splitQuoted(
      `了解しました。\n\n${marker}\n差出人: 窓口\n件名: 請求書\n\n旧本文`,
    );
    assert.deepEqual(segments.map((s) => s.quoted), [false, true], marker);
    assert.equal(segments[0].text, "了解しました。");
    assert.ok(segments[1].text.startsWith(marker), marker);
  }
});

Deno.test("quoted text: interleaved answers stay visible between collapsed quotes", () => {
  const segments = splitQuoted(
    "> 質問1\nはい、そうです。\n> 質問2\n>\n> 続き\nいいえ。\n\n-- \n署名",
  );
  assert.deepEqual(segments, [
    { quoted: true, text: "> 質問1" },
    { quoted: false, text: "はい、そうです。" },
    { quoted: true, text: "> 質問2\n>\n> 続き" },
    { quoted: false, text: "いいえ。\n\n-- \n署名" },
  ]);
});

Deno.test("quoted text: Gmail's attribution wrapped over two lines is part of the history", () => {
  const segments = splitQuoted(
    "OK\n\nOn Mon, Jan 1, 2024 at 10:00 AM Support Desk <\nsupport@example.test> wrote:\n\n> old",
  );
  assert.deepEqual(segments.map((s) => s.quoted), [false, true]);
  assert.match(segments[1].text, /^On Mon/);
});

Deno.test("quoted text: a mail that is only a quote is shown, not hidden", () => {
  assert.deepEqual(splitQuoted("> forwarded line\n> another"), [
    { quoted: false, text: "> forwarded line\n> another" },
  ]);
  assert.deepEqual(splitQuoted("I wrote: On the other hand"), [
    { quoted: false, text: "I wrote: On the other hand" },
  ]);
  assert.deepEqual(splitQuoted("以下のメール:\n転送します"), [
    { quoted: false, text: "以下のメール:\n転送します" },
  ]);
});

Deno.test("mail body: an HTML-only mail renders its sanitized HTML with cid images rewritten", () => {
  const source = '<p>ロゴ:</p><img src="cid:logo@example.com" alt="logo"><img src="cid:missing@x">';
  const out = render({
    text: "ロゴ:",
    html: sanitizeMailHtml(source),
    attachments: [LOGO],
  });
  assert.match(
    out,
    /<div class="mail-html"><p>ロゴ:<\/p><img alt="logo" src="\/files\/7\/inline" \/>/,
  );
  assert.doesNotMatch(out, /cid:/);
  assert.doesNotMatch(out, /<pre class="body">/, "the derived text is not shown twice");
  assert.match(out, /<a href="\/files\/7">logo.png<\/a>/);
});

Deno.test("mail body: a cid that names a non-image or SVG part gets no inline URL", () => {
  const svg = { ...LOGO, id: 8, contentType: "image/svg+xml", contentId: "svg@x" };
  const out = render({ html: '<img src="cid:svg@x" alt="s">', attachments: [svg] });
  assert.doesNotMatch(out, /\/files\/8\/inline/);
  assert.match(out, /<img alt="s" \/>/);
});

Deno.test("mail body: remote images stay blocked by default, with a link to show them", () => {
  const html = sanitizeMailHtml('<p>Hi</p><img src="https://tracker.example/p.gif?u=1&amp;k=2">');
  const blocked = render({ text: "", html });
  assert.doesNotMatch(blocked, /\ssrc="https:/);
  assert.match(blocked, /data-remote-src="https:\/\/tracker.example\/p.gif\?u=1&amp;k=2"/);
  assert.match(blocked, /外部の画像はブロックされています。/);
  assert.match(blocked, /<a href="\/tickets\/1001\?images=3#m3">画像を表示<\/a>/);

  const shown = render({ text: "", html, showImages: true });
  assert.match(shown, /<img src="https:\/\/tracker.example\/p.gif\?u=1&amp;k=2" \/>/);
  assert.doesNotMatch(shown, /画像を表示/);
});

Deno.test("mail body: with text and HTML, text leads and the HTML waits in a closed details", () => {
  const html = sanitizeMailHtml('<p>Styled <b>version</b></p><img src="https://x.example/a.png">');
  const closed = render({ text: "Plain version", html });
  assert.match(closed, /<pre class="body">Plain version<\/pre><details class="mail-html-part">/);
  const open = render({ text: "Plain version", html, showImages: true });
  assert.match(open, /<details open class="mail-html-part">|<details class="mail-html-part" open>/);
});

Deno.test("mail body: hostile HTML and text never reach the page as markup", () => {
  const out = render({
    text: "<script>alert(1)</script> & <b>not bold</b>",
    // Not sanitized by the caller: MailBody sanitizes again all the same.
    html:
      '<img src=x onerror="alert(1)"><script>alert(2)</script><a href="javascript:alert(3)">x</a>' +
      '<iframe src="https://evil.example"></iframe><svg onload="alert(4)"></svg>' +
      '<img src="cid:a&quot; onerror=&quot;alert(5)">',
    attachments: [{ ...LOGO, contentId: 'a" onerror="alert(5)' }],
  });
  assert.doesNotMatch(out, /<script/i);
  assert.doesNotMatch(out, /onerror|onload/i);
  assert.doesNotMatch(out, /javascript:/i);
  assert.doesNotMatch(out, /<iframe|<svg/i);
  assert.match(out, /&lt;script>alert\(1\)&lt;\/script> &amp; &lt;b>not bold&lt;\/b>/);
});

Deno.test("mail html: '$`' in a remote image URL cannot smuggle attributes when images are shown", () => {
  const html = '<p>x</p><img alt=" data-island=ReplyComposer class=topbar id=reply " ' +
    'src="https://e.example/p.png$`">';
  const out = prepareMailHtml(html, { cidUrl: () => undefined, showImages: true }).html;
  // The would-be attributes stay inside alt's value; src is the URL as written.
  assert.equal(
    out,
    '<p>x</p><img alt=" data-island=ReplyComposer class=topbar id=reply " ' +
      'src="https://e.example/p.png$`" />',
  );
});
