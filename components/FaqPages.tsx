/** FAQ pages: the public portal (0 KB of JavaScript) and the agents' list and editor. */
import type { Translate } from "../domain/i18n/mod.ts";
import type { FaqArticle } from "../db/faq.ts";

export interface FaqIndexProps {
  t: Translate;
  q: string;
  category: string | null;
  categories: { category: string; count: number }[];
  articles: FaqArticle[];
}

function SearchForm({ t, q, category }: { t: Translate; q: string; category: string | null }) {
  return (
    <form method="get" action="/faq" class="faq-search" role="search">
      {/* Searching keeps the chosen category (すべて clears it). */}
      {category !== null && <input type="hidden" name="category" value={category} />}
      <input
        type="search"
        name="q"
        value={q}
        placeholder={t("faq.searchPlaceholder")}
        aria-label={t("faq.search")}
        maxLength={200}
      />
      <button type="submit">{t("faq.search")}</button>
    </form>
  );
}

/** /faq with the query and category kept (a category link keeps what was searched). */
function faqHref(q: string, category: string | null): string {
  const params = new URLSearchParams();
  if (q) params.set("q", q);
  if (category !== null) params.set("category", category);
  const query = params.toString();
  return query ? `/faq?${query}` : "/faq";
}

/** The first lines of an answer, for lists. */
function excerpt(body: string): string {
  const flat = body.replace(/\s+/g, " ").trim();
  return flat.length > 90 ? `${flat.slice(0, 90)}…` : flat;
}

/** /faq: search, categories and the questions. */
export function FaqIndex(p: FaqIndexProps) {
  const { t } = p;
  return (
    <section class="card customer-card faq">
      <h1>{t("faq.title")}</h1>
      <p>{t("faq.intro")}</p>
      <SearchForm t={t} q={p.q} category={p.category} />
      {p.categories.length > 0 && (
        <nav class="faq-categories" aria-label={t("faq.categories")}>
          <a
            href={faqHref(p.q, null)}
            class={p.category === null ? "active" : undefined}
            aria-current={p.category === null ? "page" : undefined}
          >
            {t("faq.allCategories")}
          </a>
          {p.categories.map((c) => (
            <a
              href={faqHref(p.q, c.category)}
              class={p.category === c.category ? "active" : undefined}
              aria-current={p.category === c.category ? "page" : undefined}
            >
              {c.category} ({c.count})
            </a>
          ))}
        </nav>
      )}
      {p.q && (
        <p class="muted" role="status">
          {p.articles.length
            ? p.category === null
              ? t("faq.results", { q: p.q, n: p.articles.length })
              : t("faq.resultsIn", { q: p.q, n: p.articles.length, category: p.category })
            : t("faq.noResults", { q: p.q })}
        </p>
      )}
      {!p.q && p.articles.length === 0 && <p class="empty">{t("faq.empty")}</p>}
      <ul class="faq-list">
        {p.articles.map((a) => (
          <li>
            <a href={`/faq/${a.id}`}>{a.title}</a>
            <div class="muted small">{excerpt(a.body)}</div>
          </li>
        ))}
      </ul>
      <p>
        <a href="/inquiry">{t("faq.contact")}</a>
      </p>
    </section>
  );
}

export interface FaqArticlePageProps {
  t: Translate;
  article: FaqArticle;
  /** After a vote: thanks; refused: the limit. */
  voted: "thanks" | "limited" | null;
}

/** One article with "役に立ちましたか?" (a plain form POST). */
export function FaqArticlePage({ t, article, voted }: FaqArticlePageProps) {
  return (
    <section class="card customer-card faq">
      <p>
        <a href="/faq">← {t("faq.back")}</a>
      </p>
      {article.category && (
        <p class="muted small">
          <a href={`/faq?category=${encodeURIComponent(article.category)}`}>{article.category}</a>
        </p>
      )}
      <h1>{article.title}</h1>
      <div class="faq-answer">
        {article.body.split(/\n{2,}/).map((para, i) => <p key={i} class="pre-line">{para}</p>)}
      </div>
      <div class="faq-helpful">
        {voted === "thanks"
          ? <p role="status">{t("faq.thanks")}</p>
          : voted === "limited"
          ? <p role="status">{t("faq.limited")}</p>
          : (
            <form method="post" action={`/faq/${article.id}/helpful`} class="inline">
              <span>{t("faq.helpful")}</span>{" "}
              <button type="submit" name="helpful" value="yes">{t("faq.yes")}</button>{" "}
              <button type="submit" name="helpful" value="no" class="secondary">
                {t("faq.no")}
              </button>
            </form>
          )}
      </div>
      <p>
        <a href="/inquiry">{t("faq.contact")}</a>
      </p>
    </section>
  );
}

/** Articles matching what a customer typed as the subject of an inquiry. */
export function FaqMatches(
  { t, articles, subject }: { t: Translate; articles: FaqArticle[]; subject: string },
) {
  if (articles.length === 0) return null;
  return (
    <aside class="faq-matches" aria-label={t("faq.matching")}>
      <h2>{t("faq.matching")}</h2>
      <ul>
        {articles.map((a) => (
          <li>
            <a href={`/faq/${a.id}`} target="_blank" rel="noopener">{a.title}</a>
          </li>
        ))}
      </ul>
      <p class="small">
        <a href={`/faq?q=${encodeURIComponent(subject)}`} target="_blank" rel="noopener">
          {t("faq.title")} →
        </a>
      </p>
    </aside>
  );
}

export interface FaqAdminListProps {
  t: Translate;
  articles: FaqArticle[];
}

/** The agents' list: every article with its status, views and helpfulness. */
export function FaqAdminList({ t, articles }: FaqAdminListProps) {
  return (
    <section>
      <div class="page-head">
        <h1>{t("faq.manage")}</h1>
        <a class="button" href="/articles/new">{t("faq.new")}</a>
      </div>
      <p>
        <a href="/faq">{t("faq.viewPublic")}</a>
      </p>
      {articles.length === 0 ? <p class="empty">{t("faq.adminEmpty")}</p> : (
        <table class="tickets">
          <thead>
            <tr>
              <th>{t("faq.field.title")}</th>
              <th>{t("faq.field.category")}</th>
              <th>{t("faq.status")}</th>
              <th class="num">{t("faq.views")}</th>
              <th class="num">{t("faq.helpfulness")}</th>
            </tr>
          </thead>
          <tbody>
            {articles.map((a) => (
              <tr>
                <td>
                  <a href={`/articles/${a.id}`}>{a.title}</a>
                </td>
                <td>{a.category || "—"}</td>
                <td>
                  <span class={`badge faq-${a.status}`}>{t(`faq.status.${a.status}`)}</span>
                </td>
                <td class="num">{a.views}</td>
                <td class="num">{a.helpfulYes} / {a.helpfulNo}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export interface FaqEditorProps {
  t: Translate;
  article?: FaqArticle;
  values: { title: string; body: string; category: string; status: "draft" | "published" };
  error?: string;
}

/** The agents' article editor. */
export function FaqEditor({ t, article, values, error }: FaqEditorProps) {
  return (
    <section class="narrow">
      <p>
        <a href="/articles">← {t("faq.manage")}</a>
      </p>
      <h1>{article ? t("faq.edit") : t("faq.new")}</h1>
      {error && <p class="error" role="alert">{error}</p>}
      <p class="notice">{t("faq.draftHint")}</p>
      {article && (
        <p class="muted small">
          {t("faq.views")}: {article.views} · {t("faq.helpfulness")}: {article.helpfulYes} /{" "}
          {article.helpfulNo}
          {article.status === "published" && (
            <>
              {" · "}
              <a href={`/faq/${article.id}`}>{t("faq.viewPublic")}</a>
            </>
          )}
        </p>
      )}
      <form method="post" action={article ? `/articles/${article.id}` : "/articles"} class="card">
        <label>
          {t("faq.field.title")}
          <input name="title" value={values.title} required maxLength={200} />
        </label>
        <label>
          {t("faq.field.category")}
          <input name="category" value={values.category} maxLength={100} />
        </label>
        <label>
          {t("faq.field.body")}
          <textarea name="body" rows={14} required maxLength={50000}>{values.body}</textarea>
        </label>
        <label class="inline">
          {t("faq.status")}{" "}
          <select name="status">
            {(["draft", "published"] as const).map((s) => (
              <option value={s} selected={values.status === s}>{t(`faq.status.${s}`)}</option>
            ))}
          </select>
        </label>{" "}
        <button type="submit">{t("faq.save")}</button>
      </form>
    </section>
  );
}
