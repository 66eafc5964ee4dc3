/** Search text rules: normalisation, index tokens, query expressions, snippets. */
import assert from "node:assert/strict";
import {
  htmlToText,
  INDEXED_BODY_CHARS,
  indexedBody,
  indexTokens,
  matchExpression,
  normalizeSearchText,
  parseSearchQuery,
  prefixWords,
  snippetHtml,
} from "../../domain/search_text.ts";

const expr = (q: string) => matchExpression(parseSearchQuery(q));

Deno.test("search text: widths and case normalise the same way", () => {
  assert.equal(normalizeSearchText("ＡＢＣ"), "abc");
  assert.equal(normalizeSearchText("ｶﾀｶﾅ"), "カタカナ");
  assert.equal(normalizeSearchText("ｶﾞｯｺｳ"), "ガッコウ");
  assert.equal(normalizeSearchText("Ｔｅｌ：０３"), "tel:03");
});

Deno.test("search text: Japanese runs become bigrams and their last character", () => {
  assert.equal(indexTokens("配達時間"), "配達 達時 時間 間");
  assert.equal(indexTokens("猫"), "猫");
  assert.equal(indexTokens("Hello, 世界!"), "hello 世界 界");
  assert.equal(indexTokens("to a@b.jp"), "to a b jp a@b.jp");
});

Deno.test("search text: queries by length, words, phrases and exclusions", () => {
  assert.equal(expr("配達"), '"配達"');
  assert.equal(expr("ペンギン急便"), '"ペン ンギ ギン ン急 急便"');
  assert.equal(expr("猫"), '"猫"*');
  assert.equal(expr("Deliv"), '"deliv"*');
  assert.equal(expr('"hello world"'), '"hello world"');
  assert.equal(expr("a -b"), '"a"* NOT "b"');
  assert.equal(expr("abc配"), '"abc 配"*');
  assert.equal(expr("配達abc"), '"配達 達 abc"*');
  assert.equal(expr("a@b.jp"), '"a@b.jp"');
  assert.equal(expr("-only"), null);
  assert.equal(expr('" "'), null);
  assert.equal(expr("…"), null);
});

Deno.test("search text: snippets are escaped, then marked, around the first match", () => {
  const text = "x".repeat(200) + " <b>ペンギン急便</b> & co";
  const html = snippetHtml(text, parseSearchQuery("ﾍﾟﾝｷﾞﾝ急便"));
  assert.match(html, /^…x+ &#60;b&#62;<mark>ペンギン急便<\/mark>&#60;\/b&#62; &#38; co$/);
  assert.equal(snippetHtml("ＡＢＣ商事", parseSearchQuery("abc")), "<mark>ＡＢＣ</mark>商事");
});

Deno.test("search text: the visible text of HTML mail", () => {
  assert.equal(
    htmlToText("<style>p{}</style><p>返品&amp;交換</p><script>x()</script><p>&#x3042;</p>"),
    "返品&交換\n あ",
  );
});

Deno.test("search text: a prefix word widens to the listed words, phrases and exclusions do not", () => {
  const terms = parseSearchQuery('deliv 配達 "exact wor" -deli e-mai');
  assert.deepEqual(prefixWords(terms), ["deliv", "mai"]);
  const words = new Map([["deliv", ["delivered", "delivery"]], ["mai", []]]);
  assert.equal(
    matchExpression(terms, words),
    '(("deliv" OR "delivered" OR "delivery") AND "配達" AND "exact wor" AND "e mai") NOT "deli"',
  );
  // Without a list (too many words) the prefix query stays.
  assert.equal(matchExpression(parseSearchQuery("deliv")), '"deliv"*');
});

Deno.test("indexedBody: a long body is indexed up to INDEXED_BODY_CHARS, never half a surrogate pair", () => {
  assert.equal(indexedBody("短い本文"), "短い本文");
  const long = "あ".repeat(INDEXED_BODY_CHARS + 10);
  assert.equal(indexedBody(long).length, INDEXED_BODY_CHARS);
  // An emoji (two UTF-16 units) straddling the limit is left out whole.
  const straddling = "a".repeat(INDEXED_BODY_CHARS - 1) + "😀" + "b";
  const cut = indexedBody(straddling);
  assert.equal(cut.length, INDEXED_BODY_CHARS - 1);
  assert.ok(cut.isWellFormed());
  assert.equal(indexedBody("a".repeat(INDEXED_BODY_CHARS - 2) + "😀").length, INDEXED_BODY_CHARS);
});
