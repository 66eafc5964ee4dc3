/**
 * Full-text search text rules, shared by indexing and querying so both sides agree.
 *
 * Text is normalised (NFKC, then lower case: ＡＢＣ = abc, ｶﾀｶﾅ = カタカナ) and cut into tokens for
 * FTS5's plain tokenizer: Latin (and other spaced scripts') words stay words, matched by word and
 * prefix; Japanese, Chinese and Korean runs have no spaces, so each run becomes its overlapping
 * character bigrams plus its last character alone ("配達時間" → 配達 達時 時間 間). A query of n ≥ 2
 * such characters is the phrase of its n−1 bigrams (any substring of the run matches, in one index
 * lookup per bigram); one character is a prefix query over the tokens it starts, and every
 * character starts one. FTS5's trigram tokenizer works in this libSQL build, but it cannot answer
 * one- or two-character queries (not even as prefixes), so one bigram index serves every length.
 */

/** Characters that join the previous one when normalising (combining and half-width kana marks). */
const JOINER = /^[\p{M}\uff9e\uff9f]$/u;

/** Normalised text and, for each of its UTF-16 units, the offset in the original it came from. */
export interface MappedText {
  text: string;
  /** map[i]: start of the original character normalised[i] comes from; map[text.length]: end. */
  map: number[];
}

/** NFKC + lower case, keeping where each normalised character came from (for snippets). */
export function normalizeMapped(original: string): MappedText {
  let text = "";
  const map: number[] = [];
  const chars = Array.from(original);
  let offset = 0;
  for (let i = 0; i < chars.length;) {
    let segment = chars[i++];
    while (i < chars.length && JOINER.test(chars[i])) segment += chars[i++];
    const normal = segment.normalize("NFKC").toLowerCase();
    for (let k = 0; k < normal.length; k++) map.push(offset);
    text += normal;
    offset += segment.length;
  }
  map.push(offset);
  return { text, map };
}

/** NFKC + lower case, the form both the index and queries are in. */
export function normalizeSearchText(text: string): string {
  return text.normalize("NFKC").toLowerCase();
}

type Segment = { kind: "word" | "cjk"; text: string };

const RUN = /[\p{L}\p{N}\p{M}]+/gu;
const CJK_RUN =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30fc\u3005]+/gu;

/** Splits normalised text into word and CJK runs; everything else separates. */
function segments(normal: string): Segment[] {
  const out: Segment[] = [];
  for (const [run] of normal.matchAll(RUN)) {
    let at = 0;
    for (const m of run.matchAll(CJK_RUN)) {
      if (m.index > at) out.push({ kind: "word", text: run.slice(at, m.index) });
      out.push({ kind: "cjk", text: m[0] });
      at = m.index + m[0].length;
    }
    if (at < run.length) out.push({ kind: "word", text: run.slice(at) });
  }
  return out;
}

function cjkTokens(run: string, withLast: boolean): string[] {
  const chars = Array.from(run);
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i] + chars[i + 1]);
  if (withLast || chars.length === 1) out.push(chars[chars.length - 1]);
  return out;
}

/** An e-mail address, searched as one token (its parts "example", "com" are everywhere). */
const ADDRESS = /^[^\s@"<>()]+@[^\s@"<>()]+\.[^\s@"<>().]+$/;
const ADDRESSES = /[^\s@"<>(),;:]+@[^\s@"<>(),;:]+\.[^\s@"<>(),;:.]+/g;

/**
 * How much of one message body is indexed: about a hundred pages of text. Tokens take several
 * times their text in memory (a CJK character becomes a two-character token), so a 24 MiB text
 * mail used ~600 MiB of heap to index whole; past this, search relies on the subject, the sender
 * and the file names.
 */
export const INDEXED_BODY_CHARS = 200_000;

/** The part of a body that is indexed (never splitting a surrogate pair). */
export function indexedBody(text: string): string {
  if (text.length <= INDEXED_BODY_CHARS) return text;
  const end = INDEXED_BODY_CHARS;
  const code = text.charCodeAt(end - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? end - 1 : end);
}

/** The text as FTS5 index input: normalised tokens separated by spaces. */
export function indexTokens(text: string): string {
  const normal = normalizeSearchText(text);
  const out: string[] = [];
  for (const s of segments(normal)) {
    if (s.kind === "word") out.push(s.text);
    else out.push(...cjkTokens(s.text, true));
  }
  // Whole addresses after the words (the tokenizer keeps "@" and "." inside a token).
  for (const m of normal.matchAll(ADDRESSES)) out.push(m[0]);
  return out.join(" ");
}

/** One search term: a word or "quoted phrase", maybe negated with a leading minus. */
export interface SearchTerm {
  /** Normalised text of the term. */
  text: string;
  phrase: boolean;
  negated: boolean;
}

/** Parses what a person typed: words, "phrases" and -exclusions (normalised). */
export function parseSearchQuery(input: string): SearchTerm[] {
  const terms: SearchTerm[] = [];
  const normal = normalizeSearchText(input);
  const re = /(-?)"([^"]*)"?|(-?)(\S+)/g;
  for (const m of normal.matchAll(re)) {
    const phrase = m[2] !== undefined;
    const negated = (phrase ? m[1] : m[3]) === "-";
    const text = (phrase ? m[2] : m[4]).trim();
    if (segments(text).length === 0) continue;
    terms.push({ text, phrase, negated });
  }
  return terms;
}

/** A term as index tokens, and whether its last token is matched as a prefix. */
function termTokens(term: SearchTerm): { tokens: string[]; prefix: boolean; word: boolean } | null {
  if (ADDRESS.test(term.text)) {
    return { tokens: [term.text.replaceAll('"', "")], prefix: false, word: false };
  }
  const segs = segments(term.text);
  if (segs.length === 0) return null;
  const tokens: string[] = [];
  let prefix = false;
  let word = false;
  segs.forEach((s, i) => {
    const last = i === segs.length - 1;
    if (s.kind === "word") {
      tokens.push(s.text);
      prefix = last && !term.phrase && !term.negated;
      word = last;
    } else {
      // Inside a term the run continues with the next segment, which in the index comes after
      // the run's last single-character token.
      const chars = Array.from(s.text);
      tokens.push(...cjkTokens(s.text, !last));
      prefix = last && chars.length === 1;
      word = false;
    }
  });
  return { tokens, prefix, word };
}

/**
 * The Latin words that positive terms match as prefixes (`deliv` in "deliv"): the caller may look
 * up which indexed words they start and pass them to matchExpression.
 */
export function prefixWords(terms: SearchTerm[]): string[] {
  const out = new Set<string>();
  for (const term of terms) {
    if (term.negated) continue;
    const t = termTokens(term);
    if (t?.prefix && t.word) out.add(t.tokens[t.tokens.length - 1]);
  }
  return [...out];
}

/**
 * One term as an FTS5 expression, or null if it has nothing to match. A prefix word found in
 * `words` becomes an OR of the exact indexed words it starts (an empty list: the exact word only).
 */
function termExpression(
  term: SearchTerm,
  words?: ReadonlyMap<string, readonly string[]>,
): string | null {
  const t = termTokens(term);
  if (!t) return null;
  const head = t.tokens.slice(0, -1);
  const last = t.tokens[t.tokens.length - 1];
  const expanded = t.prefix && t.word ? words?.get(last) : undefined;
  if (expanded) {
    const phrases = [...new Set([last, ...expanded])].map((w) => `"${[...head, w].join(" ")}"`);
    return phrases.length === 1 ? phrases[0] : `(${phrases.join(" OR ")})`;
  }
  return `"${t.tokens.join(" ")}"${t.prefix ? "*" : ""}`;
}

/**
 * The FTS5 MATCH expression for the terms, or null when no positive term is left. `words`: for a
 * prefix word (prefixWords), the indexed words it starts, when few enough to list.
 */
export function matchExpression(
  terms: SearchTerm[],
  words?: ReadonlyMap<string, readonly string[]>,
): string | null {
  const positive = terms.filter((t) => !t.negated).map((t) => termExpression(t, words))
    .filter((e) => e !== null);
  if (positive.length === 0) return null;
  const negative = terms.filter((t) => t.negated).map((t) => termExpression(t))
    .filter((e) => e !== null);
  const base = positive.length === 1 ? positive[0] : `(${positive.join(" AND ")})`;
  return [base, ...negative].join(" NOT ");
}

/** The visible text of an HTML body (for indexing mail that has no text part). */
export function htmlToText(html: string): string {
  return decodeEntities(
    html
      .replace(/<(script|style|head)\b[\s\S]*?<\/\1\s*>/gi, " ")
      .replace(/<!--[\s\S]*?-->/g, " ")
      .replace(/<(br|\/p|\/div|\/li|\/tr|\/h\d)\b[^>]*>/gi, "\n")
      .replace(/<[^>]*>/g, " "),
  ).replace(/[ \t\u00a0]+/g, " ").trim();
}

const NAMED: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
};

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, name: string) => {
    if (name[0] === "#") {
      const code = name[1] === "x" || name[1] === "X"
        ? parseInt(name.slice(2), 16)
        : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : all;
    }
    return NAMED[name.toLowerCase()] ?? all;
  });
}

/** Escapes text for HTML. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A snippet of `text` around the first place a positive term occurs, as HTML: the text escaped,
 * then each occurrence wrapped in <mark>. Without an occurrence, the start of the text.
 */
export function snippetHtml(text: string, terms: SearchTerm[], width = 120): string {
  const { text: normal, map } = normalizeMapped(text);
  const needles = terms.filter((t) => !t.negated)
    .flatMap((t) => segments(t.text).map((s) => s.text))
    .filter((n) => n.length > 0);
  const ranges: [number, number][] = [];
  for (const needle of needles) {
    for (let at = normal.indexOf(needle); at >= 0; at = normal.indexOf(needle, at + 1)) {
      ranges.push([map[at], map[at + needle.length]]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const first = ranges[0]?.[0] ?? 0;
  let start = Math.max(0, first - Math.floor(width / 3));
  const end = Math.min(text.length, start + width);
  start = Math.max(0, Math.min(start, end - width));
  let html = start > 0 ? "…" : "";
  let at = start;
  for (const [from, to] of ranges) {
    if (to <= at || from >= end) continue;
    const a = Math.max(from, at);
    const b = Math.min(to, end);
    html += escapeHtml(oneLine(text.slice(at, a))) + "<mark>" +
      escapeHtml(oneLine(text.slice(a, b))) + "</mark>";
    at = b;
  }
  html += escapeHtml(oneLine(text.slice(at, end)));
  return end < text.length ? html + "…" : html;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, " ");
}
