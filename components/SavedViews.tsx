/** Saved inbox views in the sidebar, each with its count, and a form to save the current one. */
import type { Translate } from "../domain/i18n/mod.ts";
import type { SavedView } from "../db/saved_views.ts";

export function SavedViews(
  p: {
    t: Translate;
    views: (SavedView & { count: number })[];
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
          <span class="count">{v.count}</span>
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
