/**
 * Mail HTML as the conversation shows it, sanitized once per message and sanitizer version
 * instead of on every view: a 50-message ticket re-ran sanitize-html (a full HTML parse) on each
 * body per page view. The first view stores the output in messages.html_safe with
 * SANITIZER_VERSION; a later view, or a later version, uses or redoes it. Mail filed since
 * (mail/parse.ts sanitizes with this same function, on the parse worker for big mail) is marked
 * with the version at ingest and shown as stored, with nothing to redo or store twice.
 */
import type { Store } from "../db/client.ts";
import type { Message } from "../db/messages.ts";
import { sanitizeMailHtml, SANITIZER_VERSION } from "../mail/sanitize_html.ts";

/**
 * The shown list per thread read: while the read is kept (db/read_memo.ts, until a commit) every
 * view gets the same message objects, so their rendered HTML can be kept too (components/kept_html.ts).
 */
const shownByThread = new WeakMap<Message[], Message[]>();

/** The messages with `html` sanitized by the current sanitizer; stores what it had to compute. */
export function withShownHtml(store: Store, messages: Message[]): Message[] {
  let shown = shownByThread.get(messages);
  if (!shown) shownByThread.set(messages, shown = shownOf(store, messages));
  return shown;
}

function shownOf(store: Store, messages: Message[]): Message[] {
  const fresh: { id: number; html: string }[] = [];
  const shown = messages.map((m) => {
    if (m.html === null) return m;
    if (m.htmlSafeVersion === SANITIZER_VERSION) {
      // Stored by this version: html_safe, or html_body itself when ingest sanitized it.
      return { ...m, html: m.htmlSafe ?? m.html, htmlShown: true };
    }
    const html = sanitizeMailHtml(m.html);
    fresh.push({ id: m.id, html });
    return { ...m, html, htmlSafe: html, htmlSafeVersion: SANITIZER_VERSION, htmlShown: true };
  });
  // Not awaited: the page needs no commit, and a lost write only means sanitizing again later.
  if (fresh.length > 0) storeShownHtml(store, fresh).catch((e) => console.error(e));
  return shown;
}

async function storeShownHtml(store: Store, rows: { id: number; html: string }[]) {
  await store.writeTx(async (tx) => {
    for (const r of rows) {
      await tx.updateTable("messages")
        .set({ html_safe: r.html, html_safe_version: SANITIZER_VERSION })
        .where("id", "=", r.id).execute();
    }
  });
}
