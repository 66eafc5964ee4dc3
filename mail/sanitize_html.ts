// @ts-types="@types/sanitize-html"
import sanitizeHtml from "sanitize-html";

/*
 * Mail HTML is hostile input shown inside the agent UI, so the allowlist is small and every URL is
 * re-checked here rather than trusted to defaults:
 *
 * - Links keep only absolute http(s)/mailto/tel targets and always open in a new, unrelated tab
 *   (`target="_blank" rel="noopener noreferrer nofollow"`); relative and fragment links are dropped
 *   because they would resolve against the help desk's own origin.
 * - Images keep `cid:` (inline parts, rewritten by the UI) and `data:image/*` sources. A remote
 *   http(s) source is moved to `data-remote-src` and `src` is removed, so nothing is fetched (no
 *   tracking pixels, no IP leak) until the UI copies it back after the agent asks for images.
 *   Sanitizing is idempotent, so stored output may safely be sanitized again.
 * - `style` attributes survive only with properties from a fixed list whose values match strict
 *   patterns (no `url()`, no `expression()`, no escapes, no positioning), so mail cannot overlay or
 *   restyle the surrounding page. `<style>` blocks, `class` and `id` are dropped for the same reason.
 */

const LENGTH = String.raw`-?(?:\d+|\d*\.\d+)(?:px|pt|em|rem|%|ex|ch|cm|mm|in)?`;
const LENGTHS = new RegExp(`^(?:(?:${LENGTH}|auto)\\s*){1,4}$`, "i");
const ONE_LENGTH = new RegExp(`^(?:${LENGTH}|auto|normal)$`, "i");
const COLOR =
  /^(?:#[0-9a-f]{3,8}|rgba?\(\s*[\d.%\s,/]+\)|hsla?\(\s*[\d.%\s,/deg]+\)|[a-z]{3,20})$/i;
const BORDER = new RegExp(
  `^(?:(?:${LENGTH}|none|hidden|dotted|dashed|solid|double|groove|ridge|inset|outset|thin|medium|thick|#[0-9a-f]{3,8}|rgba?\\(\\s*[\\d.%\\s,/]+\\)|[a-z]{3,20})\\s*){1,4}$`,
  "i",
);
const KEYWORD = /^[a-z-]{1,30}$/i;
const FONT_FAMILY = /^[\w\s,'"-]{1,200}$/;

const STYLE_RULES: Record<string, RegExp[]> = {
  "color": [COLOR],
  "background-color": [COLOR],
  "font-family": [FONT_FAMILY],
  "font-size": [ONE_LENGTH, /^(?:x{0,2}-?small|medium|x{0,2}-?large|smaller|larger)$/i],
  "font-style": [KEYWORD],
  "font-weight": [/^(?:normal|bold|bolder|lighter|[1-9]00)$/i],
  "text-align": [/^(?:left|right|center|justify|start|end)$/i],
  "text-decoration": [/^[a-z\s-]{1,60}$/i],
  "text-indent": [ONE_LENGTH],
  "line-height": [ONE_LENGTH, /^\d*\.?\d+$/],
  "letter-spacing": [ONE_LENGTH],
  "vertical-align": [KEYWORD, ONE_LENGTH],
  "white-space": [KEYWORD],
  "width": [ONE_LENGTH],
  "max-width": [ONE_LENGTH],
  "min-width": [ONE_LENGTH],
  "height": [ONE_LENGTH],
  "margin": [LENGTHS],
  "margin-top": [ONE_LENGTH],
  "margin-right": [ONE_LENGTH],
  "margin-bottom": [ONE_LENGTH],
  "margin-left": [ONE_LENGTH],
  "padding": [LENGTHS],
  "padding-top": [ONE_LENGTH],
  "padding-right": [ONE_LENGTH],
  "padding-bottom": [ONE_LENGTH],
  "padding-left": [ONE_LENGTH],
  "border": [BORDER],
  "border-top": [BORDER],
  "border-right": [BORDER],
  "border-bottom": [BORDER],
  "border-left": [BORDER],
  "border-color": [BORDER],
  "border-style": [BORDER],
  "border-width": [BORDER],
  "border-collapse": [KEYWORD],
  "border-spacing": [LENGTHS],
};

const TABLE_CELL = [
  "align",
  "valign",
  "width",
  "height",
  "colspan",
  "rowspan",
  "bgcolor",
  "nowrap",
];

const OPTIONS: sanitizeHtml.IOptions = {
  // deno-fmt-ignore
  allowedTags: [
    "a", "abbr", "address", "article", "b", "bdi", "bdo", "big", "blockquote", "br", "caption",
    "center", "cite", "code", "col", "colgroup", "dd", "del", "dfn", "div", "dl", "dt", "em",
    "figcaption", "figure", "font", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s",
    "samp", "section", "small", "span", "strike", "strong", "sub", "sup", "table", "tbody", "td",
    "tfoot", "th", "thead", "time", "tr", "tt", "u", "ul", "var", "wbr",
  ],
  allowedAttributes: {
    "*": ["style", "title", "dir", "lang", "align"],
    a: ["href", "target", "rel"],
    img: ["src", "data-remote-src", "alt", "width", "height", "border"],
    table: ["width", "border", "cellpadding", "cellspacing", "bgcolor", "align"],
    td: TABLE_CELL,
    th: TABLE_CELL,
    tr: ["align", "valign", "bgcolor"],
    col: ["span", "width"],
    colgroup: ["span", "width"],
    font: ["color", "face", "size"],
    ol: ["start", "type"],
    ul: ["type"],
    li: ["value"],
    blockquote: ["cite"],
    time: ["datetime"],
  },
  allowedStyles: { "*": STYLE_RULES },
  allowedSchemes: ["http", "https", "mailto", "tel"],
  allowedSchemesByTag: { img: ["cid", "data", "http", "https"] },
  allowedSchemesAppliedToAttributes: ["href", "src", "cite", "data-remote-src"],
  allowProtocolRelative: false,
  // Text inside these is code or metadata, never message content.
  nonTextTags: ["script", "style", "textarea", "option", "noscript", "title", "head", "template"],
  nestingLimit: 200,
  transformTags: { a: transformLink, img: transformImage },
};

/**
 * Names this sanitizer's output: messages.html_safe keeps what version N rendered
 * (routes/message_html.ts), so any change to OPTIONS or the transforms below must bump it.
 */
export const SANITIZER_VERSION = 1;

/** Sanitizes mail HTML for display: a mail-sized allowlist, safe links, remote images parked. */
export function sanitizeMailHtml(html: string): string {
  return sanitizeHtml(html, OPTIONS);
}

/** Browsers drop tabs and newlines anywhere in a URL and trim C0 controls and spaces. */
function normalizeUrl(url: string): string {
  // deno-lint-ignore no-control-regex
  return url.replace(/[\t\n\r]/g, "").replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, "");
}

function transformLink(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  const { href, title, style, dir, lang } = attribs;
  const kept: sanitizeHtml.Attributes = { target: "_blank", rel: "noopener noreferrer nofollow" };
  const url = href === undefined ? "" : normalizeUrl(href);
  if (/^(?:https?:\/\/|mailto:|tel:)/i.test(url)) kept.href = url;
  Object.assign(kept, definedOnly({ title, style, dir, lang }));
  return { tagName, attribs: kept };
}

function transformImage(tagName: string, attribs: sanitizeHtml.Attributes): sanitizeHtml.Tag {
  // Output is rebuilt from `src`, or from `data-remote-src` when there is no `src` (sanitizing
  // twice must not lose parked images); either way only an http(s) URL can land there.
  const { alt, width, height, border, title, style, align } = attribs;
  const kept = definedOnly({ alt, width, height, border, title, style, align });
  const url = normalizeUrl(attribs.src ?? attribs["data-remote-src"] ?? "");
  if (/^https?:\/\//i.test(url)) kept["data-remote-src"] = url;
  else if (/^cid:/i.test(url) || /^data:image\/(?:png|gif|jpe?g|webp|bmp);/i.test(url)) {
    kept.src = url;
  }
  return { tagName, attribs: kept };
}

function definedOnly(attribs: Record<string, string | undefined>): sanitizeHtml.Attributes {
  const out: sanitizeHtml.Attributes = {};
  for (const [key, value] of Object.entries(attribs)) if (value !== undefined) out[key] = value;
  return out;
}

const BLOCK_END =
  /<\/(?:p|div|h[1-6]|tr|table|blockquote|pre|ul|ol|dl|dt|dd|section|article|header|footer|address|figure|figcaption|caption|center)>/gi;
const BLOCK_START = /<(?:p|div|h[1-6]|table|blockquote|pre|hr|dt|dd)\b[^>]*>/gi;

/** Plain text from HTML that already went through sanitizeMailHtml: block breaks kept, tags gone. */
export function htmlToPlainText(safeHtml: string): string {
  // Sanitized output is well-formed and escapes "<", ">", "&" and '"', so tags can be cut by pattern.
  // Block edges become U+E000 first so that "</div><div>" yields one line break, not two.
  return safeHtml
    .replace(/\s+/g, " ")
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<li\b[^>]*>/gi, "\ue000- ")
    .replace(BLOCK_END, "\ue000")
    .replace(BLOCK_START, "\ue000")
    .replace(/<\/t[dh]>/gi, " ")
    .replace(/<[^>]*>/g, "")
    .replace(/ *\ue000[\ue000 ]*/g, "\n")
    .replace(/&(?:(lt|gt|quot|amp|nbsp)|#(\d{1,7})|#x([0-9a-f]{1,6}));/gi, decodeEntity)
    .replace(/\u00a0/g, " ")
    .split("\n")
    .map((line) => line.replace(/ {2,}/g, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

const NAMED_ENTITIES: Record<string, string> = { lt: "<", gt: ">", quot: '"', amp: "&", nbsp: " " };

function decodeEntity(entity: string, name?: string, decimal?: string, hex?: string): string {
  if (name !== undefined) return NAMED_ENTITIES[name.toLowerCase()] ?? entity;
  const code = decimal !== undefined ? Number(decimal) : Number.parseInt(hex ?? "", 16);
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
}
