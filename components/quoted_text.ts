/**
 * Splits a plain-text mail body into what the sender wrote and the quoted history, so the UI can
 * collapse the history. Recognized, in English and Japanese mailers' wording:
 * - runs of lines starting with ">" (blank lines inside a run belong to it);
 * - an attribution line before such a run: "On … wrote:" (Gmail wraps it over two lines),
 *   "… さんは書きました:" (Thunderbird), "… <taro@example.com>のメール:" (Apple Mail),
 *   "2024年1月1日(月) 10:00 山田 <taro@example.com>:" (Gmail);
 * - separators after which everything is the old mail: "-----Original Message-----",
 *   "-------- 元のメッセージ --------", and Outlook's underscore rule followed by From:/差出人:.
 *   An attribution not followed by ">" lines also starts history (quoting without ">").
 */

export interface TextSegment {
  quoted: boolean;
  text: string;
}

const QUOTE = /^\s?[>＞]/;
const SEPARATOR =
  /^\s*-{2,}\s*(?:original message|元のメッセージ|元のメール|転送元のメッセージ)\s*-{2,}\s*$/i;
const ATTRIBUTION = [
  /^On\b.{4,}\bwrote:\s*$/i,
  /さんは書きました[:：]\s*$/,
  /<[^<>\s]+@[^<>\s]+>\s*のメール[:：]\s*$/,
  /^\d{4}年\d{1,2}月\d{1,2}日.*<[^<>@\s]+@[^<>\s]+>[:：]\s*$/,
  /^\d{4}\/\d{1,2}\/\d{1,2}.*(?:wrote|書きました)[:：]\s*$/i,
];
const OUTLOOK_RULE = /^\s*_{10,}\s*$/;
const OUTLOOK_FROM = /^\s*(?:From|差出人|送信者)\s*[:：]/i;

/** Segments in order; quoted ones are the history. Never all quoted: then nothing is. */
export function splitQuoted(text: string): TextSegment[] {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const segments: TextSegment[] = [];
  let current: TextSegment | null = null;
  const push = (quoted: boolean, line: string) => {
    if (current?.quoted === quoted) current.text += `\n${line}`;
    else segments.push(current = { quoted, text: line });
  };

  for (let i = 0; i < lines.length; i++) {
    const history = historyStart(lines, i);
    if (history === "rest") {
      for (const line of lines.slice(i)) push(true, line);
      break;
    }
    if (history > 0 || QUOTE.test(lines[i])) {
      const end = quoteRunEnd(lines, i + history);
      for (const line of lines.slice(i, end)) push(true, line);
      i = end - 1;
      continue;
    }
    push(false, lines[i]);
  }
  return tidy(segments);
}

/**
 * At an attribution or separator: "rest" when everything from here is history, else how many
 * attribution lines precede a ">" run (0 when this line starts nothing).
 */
function historyStart(lines: string[], i: number): number | "rest" {
  const line = lines[i];
  if (SEPARATOR.test(line)) return "rest";
  if (OUTLOOK_RULE.test(line) && OUTLOOK_FROM.test(lines[i + 1] ?? "")) return "rest";
  let span = 0;
  if (ATTRIBUTION.some((re) => re.test(line))) span = 1;
  // Gmail wraps a long "On … <address>" attribution: "On …" then "… wrote:".
  else if (/^On\b/i.test(line) && /\bwrote:\s*$/i.test(lines[i + 1] ?? "")) span = 2;
  if (span === 0) return 0;
  let next = i + span;
  while (next < lines.length && lines[next].trim() === "") next++;
  if (next < lines.length && QUOTE.test(lines[next])) return span;
  return next < lines.length ? "rest" : 0;
}

/** Index after a ">" run starting at `from`; blank lines count when more ">" lines follow. */
function quoteRunEnd(lines: string[], from: number): number {
  let end = from;
  let i = from;
  while (i < lines.length) {
    if (QUOTE.test(lines[i])) end = ++i;
    else if (lines[i].trim() === "") i++;
    else break;
  }
  return Math.max(end, from);
}

/** Drops blank edges, merges neighbours, and un-quotes everything when nothing else is left. */
function tidy(segments: TextSegment[]): TextSegment[] {
  const out: TextSegment[] = [];
  for (const s of segments) {
    const text = s.text.replace(/^\s*\n|\s+$/g, "");
    if (text === "") continue;
    const last = out.at(-1);
    if (last?.quoted === s.quoted) last.text += `\n\n${text}`;
    else out.push({ quoted: s.quoted, text });
  }
  if (!out.some((s) => !s.quoted)) {
    const all = out.map((s) => s.text).join("\n\n");
    return all === "" ? [] : [{ quoted: false, text: all }];
  }
  return out;
}
