/**
 * The body of one mail, for agents and (through other URLs) customers: plain text first with the
 * quoted history collapsed — or the HTML part first when there is nothing else or the text part
 * is a poor rendering of it (domain/poor_text.ts; the text then one click away) — inline `cid:`
 * images, remote images only on request, and the attachment list.
 *
 * Why the HTML is rendered inline and not in a sandboxed `<iframe srcdoc>`:
 * - a frame sandboxed without `allow-same-origin` has an opaque origin, so its requests for our
 *   attachment URLs are cross-site and the SameSite=Lax session cookie is withheld: `cid:` images
 *   would answer with the login redirect. Adding `allow-same-origin` makes the frame our origin
 *   again, and what the sandbox then still adds (no scripts) the CSP already enforces;
 * - without JavaScript a frame cannot size itself to its content (a scroll box in a scrolling
 *   page), and `target="_blank"` links inside it need `allow-popups` as well;
 * - the defences that matter hold inline too: the sanitizer's allowlist (no script, event
 *   handlers, forms, `class`/`id`, positioning or `url()`), applied again at render time, and
 *   the page's CSP, under which no inline script or handler runs and, by default, no remote
 *   image loads (`img-src 'self' data:`); `style-src 'self'` also keeps mail `style` attributes
 *   inert, while presentational attributes (`width`, `bgcolor`, `align`) still lay tables out.
 *   The `.mail-html` box contains the mail's layout so it cannot spill over the page.
 */
import type { Translate } from "../domain/i18n/mod.ts";
import { INLINE_IMAGE_TYPES, prepareMailHtml } from "./mail_html.ts";
import { splitQuoted } from "./quoted_text.ts";
import { htmlToPlainText } from "../mail/sanitize_html.ts";
import { preferHtml } from "../domain/poor_text.ts";
import type { BodyClip } from "../domain/inbound_message.ts";

export interface MailAttachment {
  id: number;
  filename: string;
  contentType: string;
  contentId: string | null;
  disposition: string;
  size?: number;
}

export interface MailBodyProps {
  text: string;
  /** Sanitized at ingest; sanitized again here all the same unless `sanitized`. */
  html: string | null;
  /** `html` is the current sanitizer's output already (routes/message_html.ts). */
  sanitized?: boolean;
  attachments: MailAttachment[];
  /** The download URL of an attachment, or ("inline") the URL that shows an image in the page. */
  attachmentUrl: (attachment: MailAttachment, mode: "download" | "inline") => string;
  /** Load remote images of this mail (the reader asked to). */
  showImages: boolean;
  /** Where the "show images" link goes; no link when absent. */
  showImagesHref?: string;
  /** The parts stored in part only (mail/parse.ts), by their whole length: a notice says so. */
  clipped?: BodyClip | null;
  /** Where the original mail (.eml) is saved from; the notice links it when given. */
  originalHref?: string;
  /** Formats the whole length for the notice (the reader's locale). */
  locale?: string;
  t: Translate;
}

/** Renders one mail body (see the module comment). */
export function MailBody(p: MailBodyProps) {
  const { t } = p;
  const prepared = p.html === null ? null : prepareMailHtml(p.html, {
    cidUrl: (cid) => {
      const part = p.attachments.find((a) => a.contentId === cid);
      return part && INLINE_IMAGE_TYPES.includes(part.contentType.toLowerCase())
        ? p.attachmentUrl(part, "inline")
        : undefined;
    },
    showImages: p.showImages,
    sanitized: p.sanitized,
  });
  // parse.ts derives the text from the HTML when a mail has no text part: that is HTML-only mail.
  const htmlOnly = prepared !== null &&
    (p.text.trim() === "" || p.text.trim() === htmlToPlainText(prepared.html).trim());
  const htmlFirst = prepared !== null && !htmlOnly && preferHtml(p.text, prepared.html);

  const htmlView = prepared && (
    <>
      {prepared.hasRemoteImages && !p.showImages && (
        <p class="remote-images muted small">
          {t("mail.imagesBlocked")}{" "}
          {p.showImagesHref && <a href={p.showImagesHref}>{t("mail.showImages")}</a>}
        </p>
      )}
      <div class="mail-html" dangerouslySetInnerHTML={{ __html: prepared.html }} />
    </>
  );

  const clippedChars = Math.max(p.clipped?.text ?? 0, p.clipped?.html ?? 0);
  return (
    <div class="mail-body">
      {clippedChars > 0 && (
        <p class="mail-clipped notice small" role="note">
          {t("mail.clipped", { chars: clippedChars.toLocaleString(p.locale ?? "ja") })}{" "}
          {p.originalHref && <a href={p.originalHref} download>{t("mail.clippedOriginal")}</a>}
        </p>
      )}
      {htmlOnly ? htmlView : htmlFirst
        ? (
          <>
            {htmlView}
            <details class="mail-text-part">
              <summary>{t("mail.showText")}</summary>
              <PlainText text={p.text} t={t} />
            </details>
          </>
        )
        : (
          <>
            <PlainText text={p.text} t={t} />
            {htmlView && (
              <details class="mail-html-part" open={p.showImages}>
                <summary>{t("ticket.showHtml")}</summary>
                {htmlView}
              </details>
            )}
          </>
        )}
      {p.attachments.length > 0 && (
        <ul class="attachments" aria-label={t("ticket.attachments")}>
          {p.attachments.map((a) => (
            <li key={a.id}>
              <a href={p.attachmentUrl(a, "download")}>{a.filename}</a>
              {a.size !== undefined && <span class="muted">({formatSize(a.size)})</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function PlainText({ text, t }: { text: string; t: Translate }) {
  return (
    <>
      {splitQuoted(text).map((segment, i) =>
        segment.quoted
          ? (
            <details class="quoted" key={i}>
              <summary>{t("mail.showQuoted")}</summary>
              <pre class="body">{segment.text}</pre>
            </details>
          )
          : <pre class="body" key={i}>{segment.text}</pre>
      )}
    </>
  );
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
