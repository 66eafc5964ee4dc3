import assert from "node:assert/strict";
import fc from "fast-check";
import { htmlToPlainText, sanitizeMailHtml } from "../../mail/sanitize_html.ts";

const LINK_ATTRS = 'target="_blank" rel="noopener noreferrer nofollow"';

Deno.test("sanitize: script, style, iframe, object, form and meta are removed with their code", () => {
  const dirty = [
    "<p>hi</p><script>alert(1)</script><style>p{color:red}</style>",
    '<iframe src="https://evil.example"></iframe><object data="x.swf"></object>',
    '<embed src="x"><form action="https://evil.example"><input name="q"><button>go</button></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example"><base href="https://evil.example/">',
    "<noscript>ns</noscript><template><b>t</b></template><link rel=stylesheet href=x>",
  ].join("");
  assert.equal(sanitizeMailHtml(dirty), "<p>hi</p>go");
});

Deno.test("sanitize: event handler attributes are dropped everywhere", () => {
  const out = sanitizeMailHtml(
    '<img src=x onerror="alert(1)"><p onclick="x()" onmouseover=y>t</p><body onload=z>b</body>',
  );
  assert.doesNotMatch(out, /on\w+=/i);
  assert.equal(out, "<img /><p>t</p>b");
});

Deno.test("sanitize: javascript:, data: and vbscript: link targets are dropped, however spelled", () => {
  const vectors = [
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="java\nscript:alert(1)">x</a>',
    '<a href=" &#14; javascript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="//evil.example/">x</a>',
    '<a href="/admin/users">x</a>',
    '<a href="#top">x</a>',
  ];
  for (const vector of vectors) {
    assert.equal(sanitizeMailHtml(vector), `<a ${LINK_ATTRS}>x</a>`, vector);
  }
});

Deno.test("sanitize: links keep http(s), mailto and tel and always open a new, unrelated tab", () => {
  assert.equal(
    sanitizeMailHtml('<a href="https://ok.example/?a=1&b=2" target="_self" rel="opener">ok</a>'),
    `<a ${LINK_ATTRS} href="https://ok.example/?a=1&amp;b=2">ok</a>`,
  );
  assert.equal(
    sanitizeMailHtml('<a href="mailto:a@example.test">m</a><a href="tel:+81-3-0000">t</a>'),
    `<a ${LINK_ATTRS} href="mailto:a@example.test">m</a><a ${LINK_ATTRS} href="tel:+81-3-0000">t</a>`,
  );
});

Deno.test("sanitize: remote images are parked in data-remote-src, cid and data images stay", () => {
  assert.equal(
    sanitizeMailHtml('<img src="https://track.example/p.gif" width="1" alt="">'),
    '<img alt="" width="1" data-remote-src="https://track.example/p.gif" />',
  );
  assert.equal(
    sanitizeMailHtml('<img src="cid:image001.png@01D0" alt="logo">'),
    '<img alt="logo" src="cid:image001.png@01D0" />',
  );
  assert.equal(
    sanitizeMailHtml('<img src="data:image/png;base64,iVBORw0KGgo=">'),
    '<img src="data:image/png;base64,iVBORw0KGgo=" />',
  );
  // javascript: in either attribute, an SVG data URL and srcset are all dropped.
  assert.equal(
    sanitizeMailHtml(
      '<img data-remote-src="javascript:alert(1)" src="javascript:alert(1)" srcset="https://x/1.png 1x">' +
        '<img src="data:image/svg+xml;base64,PHN2Zz4=">',
    ),
    "<img /><img />",
  );
  // Tabs and newlines inside the scheme do not hide a remote fetch from the check.
  assert.equal(
    sanitizeMailHtml('<img src="ht\ntps://evil.example/x.png">'),
    '<img data-remote-src="https://evil.example/x.png" />',
  );
});

Deno.test("sanitize: svg and math markup are removed, their text kept as text", () => {
  const out = sanitizeMailHtml(
    '<svg onload="alert(1)"><script>alert(2)</script><a xlink:href="javascript:alert(3)"><text>t</text></a></svg>' +
      '<math><mi xlink:href="javascript:alert(4)">m</mi></math>',
  );
  assert.equal(out, `<a ${LINK_ATTRS}>t</a>m`);
});

Deno.test("sanitize: style keeps safe properties only, no url(), expression() or escapes", () => {
  assert.equal(
    sanitizeMailHtml(
      '<div style="color: red; width: expression(alert(1)); background: url(javascript:x); ' +
        "position: fixed; font-family: Arial, 'MS Gothic'; margin: 0 auto; z-index: 9\">s</div>",
    ),
    "<div style=\"color:red;font-family:Arial, 'MS Gothic';margin:0 auto\">s</div>",
  );
  assert.equal(
    sanitizeMailHtml('<p style="background-color: url(https://x/)">a</p>'),
    "<p>a</p>",
  );
  assert.equal(sanitizeMailHtml('<p style="font-family: e\\xpression(x)">a</p>'), "<p>a</p>");
  assert.equal(
    sanitizeMailHtml('<p style="color: red; behavior: url(x.htc)">a</p>'),
    '<p style="color:red">a</p>',
  );
  assert.equal(sanitizeMailHtml('<p style="-moz-binding: url(x)">a</p>'), "<p>a</p>");
  assert.equal(sanitizeMailHtml('<p style="}</style><script>alert(1)</script>">a</p>'), "<p>a</p>");
});

Deno.test("sanitize: mail layout survives (tables, fonts, lists, quotes)", () => {
  const html = '<table width="600" cellpadding="0" border="0"><tbody><tr>' +
    '<td align="center" bgcolor="#ffffff" colspan="2"><font color="#333" face="Meiryo">本文</font></td>' +
    "</tr></tbody></table><blockquote>q</blockquote><ul><li>one</li></ul><hr /><pre>code</pre>";
  assert.equal(sanitizeMailHtml(html), html);
});

Deno.test("sanitize: class, id and name are dropped so mail cannot reach the page's CSS or DOM", () => {
  assert.equal(
    sanitizeMailHtml('<div class="btn-danger" id="app" name="x"><p class="a">t</p></div>'),
    "<div><p>t</p></div>",
  );
});

Deno.test("sanitize: html, head and title wrappers leave only the body content", () => {
  assert.equal(
    sanitizeMailHtml(
      '<!DOCTYPE html><html><head><title>T</title><meta charset="utf-8"></head><body><p>b</p></body></html><!-- c -->',
    ),
    "<p>b</p>",
  );
});

Deno.test("sanitize: output never contains an executable vector for arbitrary tag soup", () => {
  const pieces = fc.constantFrom(
    "<script>",
    "</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">',
    "<svg onload=alert(1)>",
    "<iframe srcdoc='<script>alert(1)</script>'>",
    "<style>",
    '<div style="background:url(javascript:x)">',
    "<!--",
    "-->",
    "<",
    ">",
    '"',
    "'",
    "&#x6a;avascript:",
    "text",
  );
  fc.assert(
    fc.property(fc.array(pieces, { maxLength: 30 }), (parts) => {
      const out = sanitizeMailHtml(parts.join(""));
      assert.doesNotMatch(out, /<(?:script|iframe|svg|style)\b/i);
      assert.doesNotMatch(out, /\son\w+\s*=/i);
      assert.doesNotMatch(out, /(?:href|src)="\s*javascript:/i);
      assert.doesNotMatch(out, /url\(/i);
    }),
    { numRuns: 300 },
  );
});

Deno.test("sanitize: sanitizing twice changes nothing (stored HTML may be sanitized again)", () => {
  const pieces = fc.constantFrom(
    '<img src="https://x.example/a.png" alt="a">',
    '<img src="cid:logo@x">',
    '<a href="https://x.example/?a=1&b=2">l</a>',
    "<p style=\"color: red; font-family: 'MS Gothic'\">p</p>",
    "<table><tr><td colspan=2>c</td></tr></table>",
    "&amp; &lt; &gt; &quot; &nbsp; 日本語",
    "<script>x</script>",
    "<b><i>unclosed",
    "</div>",
    "<br>",
  );
  fc.assert(
    fc.property(fc.array(pieces, { maxLength: 20 }), (parts) => {
      const once = sanitizeMailHtml(parts.join(""));
      assert.equal(sanitizeMailHtml(once), once);
    }),
    { numRuns: 300 },
  );
});

Deno.test("sanitize: htmlToPlainText keeps line structure and decodes entities", () => {
  const safe = sanitizeMailHtml(
    "<div>Hello&nbsp;<b>world</b></div><div>second &amp; &lt;third&gt;</div>" +
      "<p>para<br>break</p><ul><li>a</li><li>b</li></ul><table><tr><td>x</td><td>y</td></tr></table>",
  );
  assert.equal(htmlToPlainText(safe), "Hello world\nsecond & <third>\npara\nbreak\n- a\n- b\nx y");
});
