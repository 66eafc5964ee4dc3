/** Reply templates (定型文) and the replies that used them. */
import { sql } from "kysely";
import type { Db, Tx } from "./client.ts";

export type TemplateScope = "personal" | "department" | "shared";
export const TEMPLATE_SCOPES: readonly TemplateScope[] = ["personal", "department", "shared"];

export interface ReplyTemplate {
  id: number;
  title: string;
  body: string;
  category: string;
  scope: TemplateScope;
  ownerAgentId: number | null;
  departmentId: number | null;
  usageCount: number;
  createdBy: number;
  createdAt: number;
  updatedAt: number;
}

export interface TemplateFields {
  title: string;
  body: string;
  category: string;
  scope: TemplateScope;
  ownerAgentId: number | null;
  departmentId: number | null;
}

function columns(db: Db | Tx) {
  return db.selectFrom("reply_templates").select([
    "id",
    "title",
    "body",
    "category",
    "scope",
    "owner_agent_id as ownerAgentId",
    "department_id as departmentId",
    "usage_count as usageCount",
    "created_by as createdBy",
    "created_at as createdAt",
    "updated_at as updatedAt",
  ]);
}

/** A template by id, or undefined (visibility is the service's business). */
export async function findTemplate(db: Db | Tx, id: number): Promise<ReplyTemplate | undefined> {
  return await columns(db).where("id", "=", id).executeTakeFirst();
}

/**
 * The templates an agent may see: their own personal ones, every shared one and the department
 * ones (of `departmentId` only, when given), by category and title.
 */
export async function listVisibleTemplates(
  db: Db | Tx,
  agentId: number,
  options: { departmentId?: number; category?: string } = {},
): Promise<ReplyTemplate[]> {
  let q = columns(db).where((eb) =>
    eb.or([
      eb("scope", "=", "shared"),
      eb.and([eb("scope", "=", "personal"), eb("owner_agent_id", "=", agentId)]),
      options.departmentId === undefined
        ? eb("scope", "=", "department")
        : eb.and([eb("scope", "=", "department"), eb("department_id", "=", options.departmentId)]),
    ])
  );
  if (options.category !== undefined) q = q.where("category", "=", options.category);
  return await q.orderBy("category").orderBy("title").orderBy("id").limit(5000).execute();
}

/** Inserts a template; returns its id. */
export async function insertTemplate(
  tx: Tx,
  t: TemplateFields & { createdBy: number; now: number },
): Promise<number> {
  const { id } = await tx.insertInto("reply_templates").values({
    title: t.title,
    body: t.body,
    category: t.category,
    scope: t.scope,
    owner_agent_id: t.ownerAgentId,
    department_id: t.departmentId,
    created_by: t.createdBy,
    created_at: t.now,
    updated_at: t.now,
  }).returning("id").executeTakeFirstOrThrow();
  return id;
}

/** Replaces a template's fields. */
export async function updateTemplate(
  tx: Tx,
  id: number,
  t: TemplateFields & { now: number },
): Promise<void> {
  await tx.updateTable("reply_templates").set({
    title: t.title,
    body: t.body,
    category: t.category,
    scope: t.scope,
    owner_agent_id: t.ownerAgentId,
    department_id: t.departmentId,
    updated_at: t.now,
    revision: sql`revision + 1`,
  }).where("id", "=", id).execute();
}

/** Deletes a template and its use records. */
export async function deleteTemplate(tx: Tx, id: number): Promise<void> {
  await tx.deleteFrom("template_uses").where("template_id", "=", id).execute();
  await tx.deleteFrom("reply_templates").where("id", "=", id).execute();
}

/** Records that a reply used the template and counts it. */
export async function recordTemplateUse(
  tx: Tx,
  u: {
    templateId: number;
    ticketId: number;
    messageId: number;
    agentId: number | null;
    now: number;
  },
): Promise<void> {
  await tx.insertInto("template_uses").values({
    template_id: u.templateId,
    ticket_id: u.ticketId,
    message_id: u.messageId,
    agent_id: u.agentId,
    created_at: u.now,
  }).execute();
  await tx.updateTable("reply_templates").set({ usage_count: sql`usage_count + 1` })
    .where("id", "=", u.templateId).execute();
}

/**
 * The text of the last `perTemplate` replies sent with each of the templates, for the
 * suggestions: what agents actually wrote when they answered with it.
 */
export async function pastRepliesByTemplate(
  db: Db | Tx,
  templateIds: number[],
  perTemplate = 5,
): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  if (templateIds.length === 0) return out;
  const rows = await db.selectFrom("template_uses as u")
    .innerJoin("messages as m", "m.id", "u.message_id")
    .select(["u.template_id as templateId", "m.text_body as text"])
    .where("u.template_id", "in", templateIds)
    .orderBy("u.id", "desc")
    .limit(templateIds.length * perTemplate * 4)
    .execute();
  for (const r of rows) {
    const list = out.get(r.templateId) ?? [];
    if (list.length < perTemplate) list.push(r.text);
    out.set(r.templateId, list);
  }
  return out;
}

/** A message's text as shown on the ticket, with its direction (to save a reply as a template). */
export async function findMessageText(
  db: Db | Tx,
  messageId: number,
): Promise<{ ticketId: number; direction: string; text: string; subject: string } | undefined> {
  return await db.selectFrom("messages").innerJoin("tickets", "tickets.id", "messages.ticket_id")
    .select([
      "messages.ticket_id as ticketId",
      "messages.direction",
      "messages.text_body as text",
      "tickets.subject",
    ])
    .where("messages.id", "=", messageId).executeTakeFirst();
}

/** Every template (for the suggestion index; visibility is filtered when ranking). */
export async function allTemplates(db: Db | Tx): Promise<ReplyTemplate[]> {
  return await columns(db).orderBy("id").limit(20_000).execute();
}

/**
 * Changes whenever a template is added, edited or deleted or a reply uses one. Read before the
 * templates: a write landing in between is built in under the older key, so the next read
 * rebuilds — a cached index is never older than its key says.
 */
export async function templateVersion(db: Db | Tx): Promise<string> {
  const t = await db.selectFrom("reply_templates")
    .select((eb) => [
      eb.fn.countAll<number>().as("n"),
      eb.fn.sum<number>("revision").as("revisions"),
      eb.fn.max("id").as("last"),
    ]).executeTakeFirstOrThrow();
  const u = await db.selectFrom("template_uses").select((eb) => eb.fn.max("id").as("last"))
    .executeTakeFirstOrThrow();
  return `${t.n}:${t.revisions}:${t.last}:${u.last}`;
}
