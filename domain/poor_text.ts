/**
 * Whether a mail's text part is a poor rendering of its HTML part, so the HTML should be shown
 * first: many senders (newsletters, web forms, Outlook with rich content) put a stub, a squashed
 * one-liner or a text with the links, tables and lists stripped into text/plain. A good text part
 * (what people type, what most clients derive) keeps being shown first: it reads better in a help
 * desk and quotes cleanly.
 *
 * Works on the sanitized HTML (well formed, escaped), cutting tags by pattern; no I/O.
 */

export type PoorTextReason = "empty" | "short" | "links" | "table" | "list";

/** Below this much visible text in the HTML there is nothing a text part could lose. */
const MIN_HTML_CHARS = 40;

/** The reason the text part is poor beside the HTML, or null when the text should come first. */
export function poorTextReason(text: string, html: string): PoorTextReason | null {
  const facts = htmlFacts(html);
  const plain = squash(text);
  const htmlText = squash(facts.text);
  if (htmlText.length < MIN_HTML_CHARS) return null;
  // A stub: "This message is HTML", "(no text)", a lone greeting.
  if (plain.length < 20 || plain.length < htmlText.length * 0.15) return "empty";
  if (plain.length < htmlText.length * 0.5) return "short";
  // Links whose target the text lost (a "click here" mail is useless without them).
  const missing = facts.links.filter((href) => !text.includes(href) && !text.includes(bare(href)));
  if (missing.length >= 2 && missing.length * 2 > facts.links.length) return "links";
  // A data table squashed into one line: its cells no longer sit on lines of their own.
  if (facts.cells.length >= 4 && lineCount(text) < facts.rows) return "table";
  // A list run together: the items are there but no longer one per line.
  if (facts.items.length >= 3) {
    const lines = text.split("\n").map((l) => squash(l));
    const onOwnLine = facts.items.filter((item) =>
      lines.some((l) => l.endsWith(item) && l.length <= item.length + 4)
    );
    if (onOwnLine.length * 2 < facts.items.length) return "list";
  }
  return null;
}

/** Whether to show the HTML part first (see `poorTextReason`). */
export function preferHtml(text: string, html: string): boolean {
  return poorTextReason(text, html) !== null;
}

interface HtmlFacts {
  text: string;
  links: string[];
  cells: string[];
  rows: number;
  items: string[];
}

function htmlFacts(html: string): HtmlFacts {
  const body = html.replace(/<(style|script|head|title)\b[\s\S]*?<\/\1\s*>/gi, " ");
  const links = [...body.matchAll(/<a\b[^>]*\bhref\s*=\s*"(https?:[^"]+)"/gi)]
    .map((m) => decode(m[1]));
  // Tables nested for layout count only their innermost cells, which hold the data.
  const cells = [...body.matchAll(/<t[dh]\b[^>]*>((?:(?!<\/?t[dh]\b|<table\b)[\s\S])*)<\/t[dh]>/gi)]
    .map((m) => squash(visible(m[1]))).filter((c) => c !== "");
  const rows = [...body.matchAll(/<tr\b[^>]*>((?:(?!<\/?tr\b|<table\b)[\s\S])*)<\/tr>/gi)]
    .filter((m) => /<t[dh]\b/i.test(m[1]) && squash(visible(m[1])) !== "").length;
  const items = [...body.matchAll(/<li\b[^>]*>((?:(?!<\/?li\b)[\s\S])*)<\/li>/gi)]
    .map((m) => squash(visible(m[1]))).filter((i) => i !== "");
  return { text: visible(body), links: [...new Set(links)], cells, rows, items };
}

/** The visible text of an HTML fragment, entities decoded. */
function visible(html: string): string {
  return decode(html.replace(/<br\s*\/?>|<\/(p|div|li|tr|h\d)>/gi, "\n").replace(/<[^>]*>/g, " "));
}

function decode(s: string): string {
  return s.replace(
    /&(lt|gt|quot|amp|nbsp|#39|#x27);/gi,
    (_, e: string) =>
      ({ lt: "<", gt: ">", quot: '"', amp: "&", nbsp: " ", "#39": "'", "#x27": "'" })[
        e.toLowerCase()
      ] ?? "",
  );
}

/** White space folded, for comparing lengths and lines. */
function squash(s: string): string {
  return s.replace(/[\s\u00a0\u3000]+/g, " ").trim();
}

function bare(href: string): string {
  return href.replace(/^https?:\/\//i, "").replace(/\/$/, "");
}

function lineCount(text: string): number {
  return text.split("\n").filter((l) => l.trim() !== "").length;
}
