/** FAQ articles (よくある質問): drafts and published ones, views and helpfulness counts. */
import { sql } from "kysely";
import type { Db, Tx } from "./client.ts";

export type ArticleStatus = "draft" | "published";

export interface FaqArticle {
  id: number;
  title: string;
  body: string;
  category: string;
  status: ArticleStatus;
  views: number;
  helpfulYes: number;
  helpfulNo: number;
  source: string;
  createdAt: number;
  updatedAt: number;
  publishedAt: number | null;
}

export interface ArticleFields {
  title: string;
  body: string;
  category: string;
  status: ArticleStatus;
}

function columns(db: Db | Tx) {
  return db.selectFrom("faq_articles").select([
    "id",
    "title",
    "body",
    "category",
    "status",
    "views",
    "helpful_yes as helpfulYes",
    "helpful_no as helpfulNo",
    "source",
    "created_at as createdAt",
    "updated_at as updatedAt",
    "published_at as publishedAt",
  ]);
}

/** An article by id (any status), or undefined. */
export async function findArticle(db: Db | Tx, id: number): Promise<FaqArticle | undefined> {
  return await columns(db).where("id", "=", id).executeTakeFirst();
}

/** Articles, newest change first; only published ones unless `drafts`. */
export async function listArticles(
  db: Db | Tx,
  options: { drafts?: boolean; category?: string; limit?: number } = {},
): Promise<FaqArticle[]> {
  let q = columns(db);
  if (!options.drafts) q = q.where("status", "=", "published");
  if (options.category !== undefined) q = q.where("category", "=", options.category);
  return await q.orderBy("updated_at", "desc").orderBy("id", "desc")
    .limit(options.limit ?? 2000).execute();
}

/** The categories of published articles with how many each has. */
export async function publishedCategories(
  db: Db | Tx,
): Promise<{ category: string; count: number }[]> {
  const rows = await db.selectFrom("faq_articles")
    .select(["category", (eb) => eb.fn.countAll<number>().as("count")])
    .where("status", "=", "published").where("category", "!=", "")
    .groupBy("category").orderBy("category").execute();
  return rows.map((r) => ({ category: r.category, count: Number(r.count) }));
}

/** Inserts an article; returns its id. */
export async function insertArticle(
  tx: Tx,
  a: ArticleFields & { source: string; createdBy: number | null; now: number },
): Promise<number> {
  const { id } = await tx.insertInto("faq_articles").values({
    title: a.title,
    body: a.body,
    category: a.category,
    status: a.status,
    source: a.source,
    created_by: a.createdBy,
    created_at: a.now,
    updated_at: a.now,
    published_at: a.status === "published" ? a.now : null,
  }).returning("id").executeTakeFirstOrThrow();
  return id;
}

/** Replaces an article's fields; the first publication is dated. */
export async function updateArticle(
  tx: Tx,
  id: number,
  a: ArticleFields & { now: number },
): Promise<void> {
  await tx.updateTable("faq_articles").set({
    title: a.title,
    body: a.body,
    category: a.category,
    status: a.status,
    updated_at: a.now,
    published_at: a.status === "published"
      ? sql`coalesce(published_at, ${a.now})`
      : sql`published_at`,
  }).where("id", "=", id).execute();
}

/** Counts one view of a published article. */
export async function countArticleView(tx: Tx, id: number): Promise<void> {
  await tx.updateTable("faq_articles").set({ views: sql`views + 1` })
    .where("id", "=", id).where("status", "=", "published").execute();
}

/** Counts one "was this helpful?" answer for a published article; false when there is none. */
export async function countHelpfulness(tx: Tx, id: number, helpful: boolean): Promise<boolean> {
  const column = helpful ? "helpful_yes" : "helpful_no";
  const r = await tx.updateTable("faq_articles")
    .set({ [column]: sql`${sql.ref(column)} + 1` })
    .where("id", "=", id).where("status", "=", "published").executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
