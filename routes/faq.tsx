/**
 * /faq: the public FAQ portal (no account, 0 KB of JavaScript, the customer layout) — search,
 * categories, articles and "役に立ちましたか?"; and /articles: the agents' editor.
 */
import { Hono } from "hono";
import { findArticle, listArticles, publishedCategories } from "../db/faq.ts";
import {
  type ArticleInput,
  createArticle,
  draftArticleFrom,
  editArticle,
  rateArticle,
  readPublishedArticle,
  searchArticles,
} from "../services/faq.ts";
import { NotFoundError, ValidationError } from "../domain/errors.ts";
import { FaqAdminList, FaqArticlePage, FaqEditor, FaqIndex } from "../components/FaqPages.tsx";
import { renderCustomerPage, renderPage } from "./render.tsx";
import { createRateLimiter } from "./rate_limiter.ts";
import { clientIp } from "./login_guard.ts";
import { type AppEnv, asAgent, asCustomer, type Ctx, nowOf } from "./state.ts";
import { intParam } from "./params.ts";

/** "Was this helpful?" answers one client address may give per hour (all articles). */
export const FAQ_VOTES_PER_HOUR = 20;

/** Routes under /faq (public). */
export function faqRoutes() {
  const app = new Hono<AppEnv>();
  const votes = createRateLimiter(FAQ_VOTES_PER_HOUR, 3600_000);
  // One answer per address and article an hour: a double click or reload counts once.
  const perArticle = createRateLimiter(1, 3600_000);

  app.get("/", async (c) => {
    const t = c.get("t");
    const { db } = c.get("deps").store;
    const q = (c.req.query("q") ?? "").slice(0, 200).trim();
    const category = c.req.query("category")?.slice(0, 100) || null;
    const articles = await searchArticles(db, q, { category: category ?? undefined });
    return renderCustomerPage(
      c,
      t("faq.title"),
      <FaqIndex
        t={t}
        q={q}
        category={category}
        categories={await publishedCategories(db)}
        articles={articles}
      />,
      // The portal and its categories may be listed by search engines; search results may not.
      { indexable: q === "" },
    );
  });

  app.get("/:id{[0-9]{1,15}}", async (c) => {
    const article = await asCustomer(c, (ctx) => readPublishedArticle(ctx, intParam(c, "id")!));
    const voted = c.req.query("voted");
    return renderCustomerPage(
      c,
      article.title,
      <FaqArticlePage
        t={c.get("t")}
        article={article}
        voted={voted === "thanks" || voted === "limited" ? voted : null}
      />,
      // A published article (drafts never get here) is meant to be found; a vote's echo is not.
      { indexable: !voted },
    );
  });

  app.post("/:id{[0-9]{1,15}}/helpful", async (c) => {
    const id = intParam(c, "id")!;
    const form = await c.req.parseBody();
    const helpful = form.helpful === "yes" ? true : form.helpful === "no" ? false : null;
    if (helpful === null) throw new ValidationError("Answer yes or no", { helpful: "required" });
    const now = nowOf(c);
    const ip = clientIp(c);
    // A vote that a limit refuses still lands on the thanks-like page, not an error.
    if (!perArticle.attempt(`${ip} ${id}`, now)) return c.redirect(`/faq/${id}?voted=thanks`, 303);
    if (!votes.attempt(ip, now)) {
      perArticle.refund(`${ip} ${id}`, now);
      return c.redirect(`/faq/${id}?voted=limited`, 303);
    }
    await asCustomer(c, (ctx) => rateArticle(ctx, id, helpful));
    return c.redirect(`/faq/${id}?voted=thanks`, 303);
  });

  return app;
}

function articleForm(form: Record<string, unknown>): Required<ArticleInput> {
  return {
    title: String(form.title ?? "").slice(0, 200),
    body: String(form.body ?? "").slice(0, 50_000),
    category: String(form.category ?? "").slice(0, 100),
    status: form.status === "published" ? "published" : "draft",
  };
}

function editorError(c: Ctx, e: ValidationError) {
  const fields = Object.entries(e.fields).map(([k, v]) => `${k}: ${v}`).join(", ");
  return c.get("t")("templates.invalid", { fields: fields || e.message });
}

/** Routes under /articles (agents): the FAQ's list with views and helpfulness, and the editor. */
export function articleRoutes() {
  const app = new Hono<AppEnv>();
  const t = (c: Ctx) => c.get("t");
  // Drafts and the editor are never for search engines, even if a link to them leaks.
  app.use(async (c, next) => {
    await next();
    c.header("x-robots-tag", "noindex");
  });

  app.get("/", async (c) => {
    const articles = await listArticles(c.get("deps").store.db, { drafts: true });
    return renderPage(c, t(c)("faq.manage"), <FaqAdminList t={t(c)} articles={articles} />);
  });

  app.get("/new", (c) =>
    renderPage(
      c,
      t(c)("faq.new"),
      <FaqEditor t={t(c)} values={{ title: "", body: "", category: "", status: "draft" }} />,
    ));

  app.post("/", async (c) => {
    const values = articleForm(await c.req.parseBody());
    try {
      const id = await asAgent(c, (ctx) => createArticle(ctx, values));
      return c.redirect(`/articles/${id}`, 303);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return renderPage(
        c,
        t(c)("faq.new"),
        <FaqEditor t={t(c)} values={values} error={editorError(c, e)} />,
        422,
      );
    }
  });

  app.get("/:id{[0-9]{1,15}}", async (c) => {
    const article = await findArticle(c.get("deps").store.db, intParam(c, "id")!);
    if (!article) throw new NotFoundError("No such article");
    return renderPage(
      c,
      t(c)("faq.edit"),
      <FaqEditor t={t(c)} article={article} values={article} />,
    );
  });

  app.post("/:id{[0-9]{1,15}}", async (c) => {
    const id = intParam(c, "id")!;
    const article = await findArticle(c.get("deps").store.db, id);
    if (!article) throw new NotFoundError("No such article");
    const values = articleForm(await c.req.parseBody());
    try {
      await asAgent(c, (ctx) => editArticle(ctx, id, values));
      return c.redirect(`/articles/${id}`, 303);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return renderPage(
        c,
        t(c)("faq.edit"),
        <FaqEditor t={t(c)} article={article} values={values} error={editorError(c, e)} />,
        422,
      );
    }
  });

  // One click from a sent reply or a template: a draft to edit before publishing.
  app.post("/from-message/:id{[0-9]{1,15}}", async (c) => {
    const id = await asAgent(c, (ctx) => draftArticleFrom(ctx, { messageId: intParam(c, "id")! }));
    return c.redirect(`/articles/${id}`, 303);
  });
  app.post("/from-template/:id{[0-9]{1,15}}", async (c) => {
    const id = await asAgent(c, (ctx) => draftArticleFrom(ctx, { templateId: intParam(c, "id")! }));
    return c.redirect(`/articles/${id}`, 303);
  });

  return app;
}
