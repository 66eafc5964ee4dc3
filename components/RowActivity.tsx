/**
 * On an inbox row: who is on the ticket now — writing its reply, viewing it, or holding a saved
 * draft ("下書きあり (山田)"). Server-rendered; islands/live_inbox.ts keeps it current.
 */
import type { Translate } from "../domain/i18n/mod.ts";

export interface RowActivityData {
  writer: string | null;
  viewers: string[];
  drafts: string[];
}

/** The activity line of one row (empty when nobody is on the ticket). */
export function RowActivity({ t, a }: { t: Translate; a: RowActivityData | undefined }) {
  const data = a ?? { writer: null, viewers: [], drafts: [] };
  return (
    <span class="row-activity" data-activity={JSON.stringify(data)}>
      {a ? activityText(t, a) : ""}
    </span>
  );
}

/** The line's text; the island builds the same from the same catalog strings. */
export function activityText(t: Translate, a: RowActivityData): string {
  const parts: string[] = [];
  if (a.writer) parts.push(t("guard.presence.writing", { name: a.writer }));
  const viewers = a.viewers.filter((v) => v !== a.writer);
  const sep = t("guard.separator");
  if (viewers.length) {
    const names = viewers.map((name) => t("guard.person", { name })).join(sep);
    parts.push(t("guard.presence.viewing", { names }));
  }
  const drafts = a.drafts.filter((d) => d !== a.writer);
  if (drafts.length) parts.push(t("guard.drafts", { names: drafts.join(sep) }));
  return parts.join(" · ");
}
