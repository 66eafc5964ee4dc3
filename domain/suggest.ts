/**
 * Offline text similarity for template suggestions and the FAQ search: NFKC + lower-case
 * normalisation, character bigrams for Japanese (no spaces to split on) and words for Latin text,
 * ranked with BM25. Pure: an index is built from plain documents and queried in memory.
 *
 * @module
 */

/** Full-width/half-width and case folded: ＡＢＣ = abc, ｶﾀｶﾅ = カタカナ. */
export function normalizeText(text: string): string {
  return text.normalize("NFKC").toLowerCase();
}

// Kana, kanji and the long-vowel mark form Japanese runs; Latin letters and digits form words.
const RUN = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}ー々〆]+|[\p{L}\p{N}]+/gu;
const JAPANESE = /^[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}ー々〆]/u;
const HIRAGANA_ONLY = /^\p{Script=Hiragana}+$/u;

/** Words too common in inquiries to tell one answer from another. */
const STOP_WORDS = new Set(
  ("a an and are as at be but by can could do does for from had has have hello hi how i if in " +
    "is it its me my no not of on or our please so thank thanks that the this to was we were " +
    "what when which will with would you your dear regards").split(" "),
);

/**
 * The terms of a text: Latin words (two letters or more, common words dropped) and, for each
 * Japanese run, its character bigrams (a one-character run stays a unigram). Bigrams of
 * hiragana only (です, ます, ので) carry grammar, not topic, and are dropped.
 */
export function tokenize(text: string): string[] {
  const terms: string[] = [];
  for (const [run] of normalizeText(text).matchAll(RUN)) {
    if (JAPANESE.test(run)) {
      const chars = [...run];
      if (chars.length === 1) {
        if (!HIRAGANA_ONLY.test(run)) terms.push(run);
        continue;
      }
      for (let i = 0; i + 1 < chars.length; i++) {
        const bigram = chars[i] + chars[i + 1];
        if (!HIRAGANA_ONLY.test(bigram)) terms.push(bigram);
      }
    } else if (run.length >= 2 && !STOP_WORDS.has(run)) {
      terms.push(run);
    }
  }
  return terms;
}

export interface IndexDocument<K> {
  key: K;
  /** Weighted texts: a title may count twice as much as a body. */
  parts: { text: string; weight?: number }[];
}

export interface Bm25Index<K> {
  keys: K[];
  /** term → postings: document number and weighted term frequency. */
  postings: Map<string, { doc: number; tf: number }[]>;
  lengths: Float64Array;
  averageLength: number;
}

const K1 = 1.2;
const B = 0.75;

/** Builds an in-memory BM25 index over the documents. */
export function buildIndex<K>(docs: IndexDocument<K>[]): Bm25Index<K> {
  const postings = new Map<string, { doc: number; tf: number }[]>();
  const lengths = new Float64Array(docs.length);
  let total = 0;
  docs.forEach((d, doc) => {
    const tf = new Map<string, number>();
    let length = 0;
    for (const part of d.parts) {
      const w = part.weight ?? 1;
      for (const term of tokenize(part.text)) {
        tf.set(term, (tf.get(term) ?? 0) + w);
        length += w;
      }
    }
    for (const [term, n] of tf) {
      let list = postings.get(term);
      if (!list) postings.set(term, list = []);
      list.push({ doc, tf: n });
    }
    lengths[doc] = length;
    total += length;
  });
  return {
    keys: docs.map((d) => d.key),
    postings,
    lengths,
    averageLength: docs.length ? total / docs.length || 1 : 1,
  };
}

export interface Ranked<K> {
  key: K;
  score: number;
  /** The query's terms that matched, most telling first (matchedPhrases makes them readable). */
  terms: string[];
}

/**
 * The `limit` documents most similar to the query by BM25, best first; no match, no result.
 * `accept` leaves documents out (those a user may not see) without rebuilding the index.
 */
export function rank<K>(
  index: Bm25Index<K>,
  query: string,
  limit = 3,
  accept?: (key: K) => boolean,
): Ranked<K>[] {
  const n = index.keys.length;
  const queryTerms = new Map<string, number>();
  for (const term of tokenize(query)) queryTerms.set(term, (queryTerms.get(term) ?? 0) + 1);
  const scores = new Float64Array(n);
  const contributions = new Map<number, Map<string, number>>();
  for (const [term, qtf] of queryTerms) {
    const list = index.postings.get(term);
    if (!list) continue;
    const idf = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5));
    // A term repeated in the query counts a little more, not linearly.
    const qWeight = 1 + Math.log(qtf);
    for (const { doc, tf } of list) {
      const norm = K1 * (1 - B + B * index.lengths[doc] / index.averageLength);
      const s = qWeight * idf * (tf * (K1 + 1)) / (tf + norm);
      scores[doc] += s;
      let c = contributions.get(doc);
      if (!c) contributions.set(doc, c = new Map());
      c.set(term, s);
    }
  }
  const best: number[] = [];
  for (const doc of contributions.keys()) {
    if (scores[doc] <= 0 || (accept && !accept(index.keys[doc]))) continue;
    best.push(doc);
  }
  best.sort((a, b) => scores[b] - scores[a] || a - b);
  return best.slice(0, limit).map((doc) => ({
    key: index.keys[doc],
    score: Math.round(scores[doc] * 1000) / 1000,
    terms: [...contributions.get(doc)!].sort((a, b) => b[1] - a[1]).map(([t]) => t),
  }));
}

/**
 * Whether `haystack` contains the query, compared normalised: every space-separated part of the
 * query must occur (so 配達時間 finds 「配達時間の指定」 and ｶﾀｶﾅ finds カタカナ).
 */
export function containsQuery(haystack: string, query: string): boolean {
  const text = normalizeText(haystack);
  const parts = normalizeText(query).split(/\s+/).filter(Boolean);
  return parts.length > 0 && parts.every((p) => text.includes(p));
}

const PARTICLE = /(?<=[^\p{Script=Hiragana}])\p{Script=Hiragana}(?=[^\p{Script=Hiragana}])/u;
const EDGE_KANA = /^\p{Script=Hiragana}+|\p{Script=Hiragana}+$/gu;

/**
 * Matched terms as a person reads them: overlapping bigrams that matched next to each other in
 * the query join up again (請求 + 求書 → 請求書); Latin words stay words. In the query's order,
 * each once, at most `limit`.
 */
export function matchedPhrases(query: string, terms: string[], limit = 6): string[] {
  const matched = new Set(terms);
  const phrases: string[] = [];
  // A lone particle between two words (請求書の再発行) and kana trailing a stem (再発行し) split
  // or trim a phrase: people scan for the words.
  const add = (phrase: string) => {
    for (const part of phrase.split(PARTICLE)) {
      const word = part.replace(EDGE_KANA, "");
      if (word && !phrases.includes(word)) phrases.push(word);
    }
  };
  for (const [run] of normalizeText(query).matchAll(RUN)) {
    if (!JAPANESE.test(run)) {
      if (matched.has(run)) add(run);
      continue;
    }
    const chars = [...run];
    if (chars.length === 1) {
      if (matched.has(run)) add(run);
      continue;
    }
    let start = -1;
    for (let i = 0; i + 1 <= chars.length; i++) {
      const hit = i + 1 < chars.length && matched.has(chars[i] + chars[i + 1]);
      if (hit && start < 0) start = i;
      if (!hit && start >= 0) {
        add(chars.slice(start, i + 1).join(""));
        start = -1;
      }
    }
  }
  return phrases.slice(0, limit);
}
