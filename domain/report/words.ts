/**
 * What customers ask about: the most frequent words of inquiry subjects. Latin text is split
 * into lower-cased words; Japanese has no spaces, so each run of kanji/katakana becomes its
 * character n-grams of 2 to 6 (a lone kanji says too little to count) and hiragana — mostly
 * particles and endings — only separates runs. A shorter n-gram found exactly as often as a
 * longer one containing it is that phrase's fragment and is dropped (請求 and 求書 under 請求書).
 * Stop-words (Re:, Fwd:, "please", お願い, …) are removed. Pure.
 *
 * @module
 */

const LATIN_STOP = new Set([
  "a",
  "an",
  "the",
  "and",
  "or",
  "of",
  "to",
  "in",
  "on",
  "for",
  "with",
  "my",
  "our",
  "your",
  "is",
  "are",
  "be",
  "can",
  "cannot",
  "not",
  "i",
  "we",
  "you",
  "it",
  "this",
  "that",
  "me",
  "please",
  "re",
  "fw",
  "fwd",
  "about",
  "from",
  "at",
  "by",
  "do",
  "does",
  "how",
  "what",
  "where",
  "when",
  "why",
  "was",
  "were",
  "has",
  "have",
  "no",
  "yes",
  "hi",
  "hello",
]);

const MAX_GRAM = 6;
const CJK_STOP = new Set([
  "願",
  "件",
  "様",
  "お願",
  "願い",
  "件名",
  "問い",
  "問合",
  "合せ",
  "質問",
  "返信",
  "転送",
]);

// Kanji, katakana (with the long-vowel mark) and full-width alphanumerics form a run.
const CJK_RUN = /[\p{Script=Han}\p{Script=Katakana}ー々]+/gu;
const LATIN_WORD = /[\p{Script=Latin}\p{Nd}][\p{Script=Latin}\p{Nd}'-]*/gu;

/** The terms of one text, in order (a term may repeat). */
export function terms(text: string): string[] {
  const normalized = text.normalize("NFKC").replace(
    /^\s*((re|fwd?|aw|転送|返信)\s*[:：]\s*)+/giu,
    "",
  );
  const out: string[] = [];
  for (const [word] of normalized.matchAll(LATIN_WORD)) {
    const w = word.toLowerCase().replace(/['-]+$/, "");
    if (w.length < 2 || /^\d+$/.test(w) || LATIN_STOP.has(w)) continue;
    out.push(w);
  }
  for (const [run] of normalized.matchAll(CJK_RUN)) {
    const chars = [...run];
    for (let n = 2; n <= Math.min(MAX_GRAM, chars.length); n++) {
      for (let i = 0; i + n <= chars.length; i++) {
        const gram = chars.slice(i, i + n).join("");
        if (n > 2 || !CJK_STOP.has(gram)) out.push(gram);
      }
    }
  }
  return out;
}

/** Counts terms across texts (each term once per text) and returns the `limit` most frequent. */
export function topTerms(
  texts: Iterable<string>,
  limit = 20,
): { term: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const text of texts) {
    for (const term of new Set(terms(text))) counts.set(term, (counts.get(term) ?? 0) + 1);
  }
  const byCount = new Map<number, string[]>();
  for (const [term, count] of counts) {
    const same = byCount.get(count);
    if (same) same.push(term);
    else byCount.set(count, [term]);
  }
  const result: { term: string; count: number }[] = [];
  for (const count of [...byCount.keys()].sort((a, b) => b - a)) {
    const same = byCount.get(count)!.sort();
    for (const term of same) {
      if (same.some((other) => other.length > term.length && other.includes(term))) continue;
      result.push({ term, count });
      if (result.length === limit) return result;
    }
  }
  return result;
}
