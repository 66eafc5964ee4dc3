import assert from "node:assert/strict";
import { terms, topTerms } from "../../../domain/report/words.ts";

Deno.test("words: Japanese runs become bigrams, particles and stop-words drop out", () => {
  assert.deepEqual(terms("Re: 請求書の再発行について"), ["請求", "求書", "再発", "発行"]);
  assert.deepEqual(terms("Cannot sign in to my account"), ["sign", "account"]);
  assert.deepEqual(terms("ログインできません"), ["ログ", "グイ", "イン"]);
});

Deno.test("words: a term counts once per inquiry, most frequent first", () => {
  assert.deepEqual(topTerms(["返品 返品", "返品・交換", "交換"], 2), [
    { term: "交換", count: 2 },
    { term: "返品", count: 2 },
  ]);
  assert.deepEqual(topTerms([]), []);
});
