/**
 * FAQ articles (よくある質問): agents write, publish and retire them; customers read, search and
 * say whether one helped. Customers only ever reach published articles.
 */
import {
  type ArticleFields,
  type ArticleStatus,
  countArticleView,
  countHelpfulness,
  type FaqArticle,
  findArticle,
  insertArticle,
  listArticles,
  updateArticle,
} from "../db/faq.ts";
import { findMessageText } from "../db/templates.ts";
import type { Db, Tx } from "../db/client.ts";
import { ForbiddenError, NotFoundError, ValidationError } from "../domain/errors.ts";
import { buildIndex, containsQuery, rank } from "../domain/suggest.ts";
import type { OpContext } from "./context.ts";
import { visibleTemplate } from "./templates.ts";

export const ARTICLE_STATUSES: readonly ArticleStatus[] = ["draft", "published"];

export interface ArticleInput {
  title: string;
  body: string;
  category?: string;
  status?: ArticleStatus;
}

function requireAgent(ctx: OpContext) {
  if (ctx.actor.kind !== "agent") throw new ForbiddenError("Only agents edit the FAQ");
  return ctx.actor;
}

function checkFields(input: ArticleInput): ArticleFields {
  const fields: Record<string, string> = {};
  if (!input.title.trim()) fields.title = "required";
  if (!input.body.trim()) fields.body = "required";
  if (Object.keys(fields).length) {
    throw new ValidationError("The article has invalid fields", fields);
  }
  return {
    title: input.title.trim(),
    body: input.body.replace(/\r\n?/g, "\n").trim(),
    category: (input.category ?? "").trim(),
    status: input.status ?? "draft",
  };
}

/** Creates an article (a draft unless said otherwise); returns its id. */
export async function createArticle(ctx: OpContext, input: ArticleInput): Promise<number> {
  const agent = requireAgent(ctx);
  return await insertArticle(ctx.tx, {
    ...checkFields(input),
    source: "",
    createdBy: agent.id,
    now: ctx.now,
  });
}

/** Changes an article; partial input keeps the rest. */
export async function editArticle(
  ctx: OpContext,
  id: number,
  input: Partial<ArticleInput>,
): Promise<void> {
  requireAgent(ctx);
  const current = await findArticle(ctx.tx, id);
  if (!current) throw new NotFoundError("No such article");
  const fields = checkFields({
    title: input.title ?? current.title,
    body: input.body ?? current.body,
    category: input.category ?? current.category,
    status: input.status ?? current.status,
  });
  await updateArticle(ctx.tx, id, { ...fields, now: ctx.now });
}

/**
 * A draft from a sent reply or a template, for the agent to edit the personal parts out of before
 * publishing: always a draft, never published in one step.
 */
export async function draftArticleFrom(
  ctx: OpContext,
  from: { messageId: number } | { templateId: number },
): Promise<number> {
  const agent = requireAgent(ctx);
  let title: string;
  let body: string;
  let source: string;
  if ("messageId" in from) {
    const m = await findMessageText(ctx.tx, from.messageId);
    if (!m || m.direction !== "out") throw new NotFoundError("No such reply");
    title = m.subject.replace(/^\s*(re|fwd?)\s*:\s*/i, "") || "—";
    body = m.text;
    source = `message:${from.messageId}`;
  } else {
    const t = await visibleTemplate(ctx.tx, agent, from.templateId);
    title = t.title;
    body = t.body;
    source = `template:${t.id}`;
  }
  return await insertArticle(ctx.tx, {
    title: title.slice(0, 200),
    body,
    category: "",
    status: "draft",
    source,
    createdBy: agent.id,
    now: ctx.now,
  });
}

/** A published article for the public portal (counting the view), or 404. */
export async function readPublishedArticle(ctx: OpContext, id: number): Promise<FaqArticle> {
  const a = await findArticle(ctx.tx, id);
  if (!a || a.status !== "published") throw new NotFoundError("No such article");
  await countArticleView(ctx.tx, id);
  return { ...a, views: a.views + 1 };
}

/** Counts a "役に立ちましたか?" answer on a published article. */
export async function rateArticle(ctx: OpContext, id: number, helpful: boolean): Promise<void> {
  if (!(await countHelpfulness(ctx.tx, id, helpful))) throw new NotFoundError("No such article");
}

/**
 * Published articles matching a query: every space-separated part must occur in the title or
 * body (normalised, so any Japanese substring is found), ranked by BM25 over bigrams and words.
 */
export async function searchArticles(
  db: Db | Tx,
  query: string,
  options: { category?: string; limit?: number; drafts?: boolean } = {},
): Promise<FaqArticle[]> {
  const articles = await listArticles(db, { category: options.category, drafts: options.drafts });
  const q = query.trim();
  if (!q) return articles.slice(0, options.limit ?? 200);
  const matching = articles.filter((a) => containsQuery(`${a.title}\n${a.body}`, q));
  const index = buildIndex(matching.map((a) => ({
    key: a,
    parts: [{ text: a.title, weight: 2 }, { text: a.body }],
  })));
  const ranked = rank(index, q, matching.length).map((r) => r.key);
  // Matches the tokenizer cannot score (a one-letter query) keep their order after the ranked ones.
  const rest = matching.filter((a) => !ranked.includes(a));
  return [...ranked, ...rest].slice(0, options.limit ?? 200);
}

/**
 * Published articles that look like answers to a subject a customer typed: BM25 ranking without
 * the every-word rule (a subject is a sentence, not a search).
 */
export async function articlesForSubject(db: Db | Tx, subject: string, limit = 5) {
  if (!subject.trim()) return [];
  const articles = await listArticles(db);
  const index = buildIndex(articles.map((a) => ({
    key: a,
    parts: [{ text: a.title, weight: 2 }, { text: a.body }],
  })));
  return rank(index, subject, limit).map((r) => r.key);
}
