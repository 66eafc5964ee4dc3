import assert from "node:assert/strict";
import { terms, topTerms } from "../../../domain/report/words.ts";

Deno.test("words: Japanese runs become n-grams, particles and stop-words drop out", () => {
  assert.deepEqual(terms("Re: 請求書の再発行について"), [
    "請求",
    "求書",
    "請求書",
    "再発",
    "発行",
    "再発行",
  ]);
  assert.deepEqual(terms("Cannot sign in to my account"), ["sign", "account"]);
  assert.deepEqual(terms("お願い"), []);
});

Deno.test("words: a term counts once per inquiry; fragments of a phrase fold into it", () => {
  assert.deepEqual(topTerms(["請求書の再発行", "請求書の宛名", "再設定"], 3), [
    { term: "請求書", count: 2 },
    { term: "再発行", count: 1 },
    { term: "再設定", count: 1 },
  ]);
  assert.deepEqual(topTerms(["返品 返品", "返品・交換", "交換"], 2), [
    { term: "交換", count: 2 },
    { term: "返品", count: 2 },
  ]);
  assert.deepEqual(topTerms([]), []);
});
