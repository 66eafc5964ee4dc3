/**
 * What customers ask about: the most frequent words of inquiry subjects. Latin text is split
 * into lower-cased words; Japanese has no spaces, so each run of kanji/katakana becomes its
 * character bigrams (a run of one character stays a unigram) and hiragana — mostly particles and
 * endings — only separates runs. Stop-words (Re:, Fwd:, "please", "について", …) are removed.
 * Pure.
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

const CJK_STOP = new Set(["お願", "願い", "件名", "問い", "問合", "合せ", "質問", "返信", "転送"]);

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
    if (chars.length === 1) {
      if (/\p{Script=Han}/u.test(run)) out.push(run);
      continue;
    }
    for (let i = 0; i + 1 < chars.length; i++) {
      const bigram = chars[i] + chars[i + 1];
      if (!CJK_STOP.has(bigram)) out.push(bigram);
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
  return [...counts].map(([term, count]) => ({ term, count }))
    .sort((a, b) => b.count - a.count || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0))
    .slice(0, limit);
}
