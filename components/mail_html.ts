/**
 * Sanitized mail HTML made ready to show: `cid:` images pointed at their stored part, remote
 * images left parked in `data-remote-src` unless the reader asked for them.
 *
 * The input is sanitized again first (sanitizing is idempotent) unless the caller says it is
 * already the current sanitizer's output (routes/message_html.ts caches that per message), so the
 * HTML rewritten here is always the sanitizer's: well-formed, every attribute double-quoted with `"`, `<`, `>` and `&`
 * escaped. That is what makes rewriting `<img>` tags by pattern safe here.
 */
import { sanitizeMailHtml } from "../mail/sanitize_html.ts";

/** Image types a browser may show from our origin; never SVG (it can carry script) or HTML. */
export const INLINE_IMAGE_TYPES = ["image/png", "image/jpeg", "image/gif", "image/webp"];

export interface PreparedHtml {
  html: string;
  /** Whether the mail has remote images (shown or not). */
  hasRemoteImages: boolean;
}

export interface PrepareOptions {
  /** The URL of the inline part with this Content-ID, or undefined when there is none. */
  cidUrl: (contentId: string) => string | undefined;
  showImages: boolean;
  /** The html is already the current sanitizer's output (routes/message_html.ts). */
  sanitized?: boolean;
}

/** Rewrites the images of mail HTML for display (see the module comment). */
export function prepareMailHtml(html: string, options: PrepareOptions): PreparedHtml {
  let hasRemoteImages = false;
  const safe = options.sanitized ? html : sanitizeMailHtml(html);
  const out = safe.replace(/<img\b[^>]*>/gi, (tag) => {
    const cid = /\ssrc="cid:([^"]*)"/i.exec(tag);
    if (cid) {
      const url = options.cidUrl(decodeCid(cid[1]));
      return url === undefined
        ? tag.replace(cid[0], "")
        : tag.replace(cid[0], () => ` src="${escapeAttribute(url)}"`);
    }
    const remote = /\sdata-remote-src="(https?:\/\/[^"]*)"/i.exec(tag);
    if (!remote) return tag;
    hasRemoteImages = true;
    // Already attribute-escaped by the sanitizer, and checked to be http(s) by it and above.
    // A function replacement: a string one would expand "$`" and "$'" inside the URL.
    return options.showImages ? tag.replace(remote[0], () => ` src="${remote[1]}"`) : tag;
  });
  return { html: out, hasRemoteImages };
}

/** `cid:` URLs are URL-encoded Content-IDs (RFC 2392), here also attribute-escaped. */
function decodeCid(value: string): string {
  const raw = value.replace(/&(amp|quot|lt|gt|#39);/g, (_, e: string) => ENTITIES[e]).trim();
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

const ENTITIES: Record<string, string> = { amp: "&", quot: '"', lt: "<", gt: ">", "#39": "'" };

function escapeAttribute(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}
