/** Saved inbox views in the sidebar, each with its count, and a form to save the current one. */
import type { Translate } from "../domain/i18n/mod.ts";
import type { SavedView } from "../db/saved_views.ts";
import type { ListCount } from "../db/ticket_list.ts";

/** A view's count: "1,234", or "1,000+" when it was bounded. */
export function viewCount(t: Translate, c: ListCount, format: (n: number) => string): string {
  return c.capped ? t("views.countCapped", { n: format(c.n) }) : format(c.n);
}

export function SavedViews(
  p: {
    t: Translate;
    views: (SavedView & { count: ListCount })[];
    format: (n: number) => string;
    currentQuery: string;
    canShare: boolean;
  },
) {
  const { t } = p;
  return (
    <div class="saved-views">
      <hr />
      {p.views.map((v) => (
        <a key={v.id} href={`/?${v.query}`} class="view" data-saved-view={v.id}>
          <span>
            {v.name}
            {v.shared && <span class="muted">{t("team.views.sharedMark")}</span>}
          </span>{" "}
          <span class="count">{viewCount(t, v.count, p.format)}</span>
        </a>
      ))}
      <details>
        <summary>{t("team.views.save")}</summary>
        <form method="post" action="/views">
          <input type="hidden" name="query" value={p.currentQuery} />
          <input name="name" required maxLength={50} aria-label={t("team.views.name")} />
          {p.canShare && (
            <label class="inline">
              <input type="checkbox" name="shared" value="1" /> {t("team.views.shared")}
            </label>
          )}
          <button type="submit">{t("team.views.saveButton")}</button>
        </form>
      </details>
    </div>
  );
}
