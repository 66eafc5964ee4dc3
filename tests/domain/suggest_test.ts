import assert from "node:assert/strict";
import {
  buildIndex,
  containsQuery,
  matchedPhrases,
  normalizeText,
  rank,
  tokenize,
} from "../../domain/suggest.ts";

Deno.test("suggest: normalisation folds width and case", () => {
  assert.equal(normalizeText("ＡＢＣ ｶﾀｶﾅ Abc"), "abc カタカナ abc");
});

Deno.test("suggest: Japanese becomes character bigrams, Latin text words", () => {
  assert.deepEqual(tokenize("配達時間"), ["配達", "達時", "時間"]);
  assert.deepEqual(tokenize("Where is my parcel?"), ["where", "parcel"]);
  // A one-character kanji run stays a unigram; hiragana-only bigrams (grammar) are dropped.
  assert.deepEqual(tokenize("本、です"), ["本"]);
  assert.deepEqual(tokenize("本です"), ["本で"]);
  assert.deepEqual(tokenize("ﾊﾟｽﾜｰﾄﾞをリセット"), [
    "パス",
    "スワ",
    "ワー",
    "ード",
    "ドを",
    "をリ",
    "リセ",
    "セッ",
    "ット",
  ]);
});

const docs = [
  {
    key: "invoice",
    parts: [{ text: "請求書の再発行", weight: 2 }, { text: "請求書を再発行してお送りします。" }],
  },
  {
    key: "delivery",
    parts: [{ text: "配達日時の変更", weight: 2 }, { text: "配達の日時を変更いたしました。" }],
  },
  {
    key: "password",
    parts: [{ text: "Password reset", weight: 2 }, {
      text: "Use the reset link to set a new password.",
    }],
  },
];

Deno.test("suggest: BM25 ranks the template sharing the customer's words first", () => {
  const index = buildIndex(docs);
  assert.deepEqual(rank(index, "先月の請求書を再発行してほしい").map((r) => r.key)[0], "invoice");
  assert.deepEqual(rank(index, "配達の日時を変えたい").map((r) => r.key)[0], "delivery");
  assert.deepEqual(rank(index, "I forgot my password, how do I reset it?").map((r) => r.key), [
    "password",
  ]);
});

Deno.test("suggest: matched terms are reported and nothing matches nothing", () => {
  const index = buildIndex(docs);
  const [best] = rank(index, "請求書");
  assert.ok(best.terms.includes("請求"), best.terms.join());
  assert.ok(best.score > 0);
  assert.deepEqual(rank(index, "まったく関係ない"), []);
  assert.deepEqual(rank(buildIndex([]), "請求書"), []);
});

Deno.test("suggest: a rare term outweighs a common one (IDF)", () => {
  const index = buildIndex([
    { key: "a", parts: [{ text: "ご注文 ご注文 ご注文 キャンセル" }] },
    { key: "b", parts: [{ text: "ご注文 返品" }] },
    { key: "c", parts: [{ text: "ご注文 領収書" }] },
  ]);
  assert.equal(rank(index, "ご注文の返品")[0].key, "b");
});

Deno.test("suggest: containsQuery finds Japanese substrings, normalised, every part", () => {
  assert.ok(containsQuery("配達時間の指定について", "時間"));
  assert.ok(containsQuery("カタカナ", "ｶﾀｶﾅ"));
  assert.ok(containsQuery("ABC 請求書", "abc 請求"));
  assert.ok(!containsQuery("ABC 請求書", "abc 配達"));
  assert.ok(!containsQuery("anything", "  "));
});

Deno.test("suggest: matched bigrams read as the words of the query", () => {
  const query = "先月の請求書を再発行してほしい。Invoice please";
  const index = buildIndex([{ key: 1, parts: [{ text: "請求書の再発行 invoice" }] }]);
  const [hit] = rank(index, query);
  assert.deepEqual(matchedPhrases(query, hit.terms), ["請求書", "再発行", "invoice"]);
});
