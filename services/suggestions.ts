/**
 * Template suggestions without a cloud: the customer's last message against each template the
 * agent may use on the ticket, and against the replies that used it, by BM25 (domain/suggest.ts).
 *
 * Building the index costs about 50 ms per 1 000 templates, ranking a fraction of a millisecond,
 * so one index over all templates is kept per database and rebuilt only when the templates or
 * their uses change (a version read with two indexed aggregates); what an agent may not see is
 * filtered out at ranking time.
 */
import type { Db } from "../db/client.ts";
import type { Ticket } from "../db/tickets.ts";
import { listMessages, type Message } from "../db/messages.ts";
import { pastRepliesByTemplate, type ReplyTemplate } from "../db/templates.ts";
import {
  type Bm25Index,
  buildIndex,
  type IndexDocument,
  matchedPhrases,
  rank,
} from "../domain/suggest.ts";
import { allTemplates, templateVersion } from "../db/templates.ts";
import { canSeeTemplate } from "./templates.ts";

export interface Suggestion {
  templateId: number;
  title: string;
  score: number;
  terms: string[];
}

/** A template as a document: its title counts twice; past replies count half. */
export function templateDocument(
  t: Pick<ReplyTemplate, "id" | "title" | "body" | "category">,
  pastReplies: string[] = [],
): IndexDocument<number> {
  return {
    key: t.id,
    parts: [
      { text: `${t.title} ${t.category}`, weight: 2 },
      { text: t.body },
      ...pastReplies.map((text) => ({ text, weight: 0.5 })),
    ],
  };
}

/** What the customer asked: the subject and their latest message. */
export function customerQuestion(
  ticket: Pick<Ticket, "subject">,
  messages: Pick<Message, "direction" | "text">[],
): string {
  const last = messages.filter((m) => m.direction === "in").at(-1);
  // Quoted history below the customer's words repeats our own replies: keep what they wrote.
  const own = (last?.text ?? "").split("\n").filter((l) => !l.trimStart().startsWith(">"))
    .join("\n").slice(0, 4000);
  return `${ticket.subject}\n${own}`;
}

interface CachedIndex {
  version: string;
  index: Bm25Index<number>;
  templates: Map<number, ReplyTemplate>;
}

const cache = new WeakMap<Db, CachedIndex>();

/** The index over every template, rebuilt when a template or a use was added, changed or removed. */
export async function templateIndex(db: Db): Promise<CachedIndex> {
  const version = await templateVersion(db);
  const hit = cache.get(db);
  if (hit?.version === version) return hit;
  const templates = await allTemplates(db);
  const past = await pastRepliesByTemplate(db, templates.map((t) => t.id));
  const built = {
    version,
    index: buildIndex(templates.map((t) => templateDocument(t, past.get(t.id)))),
    templates: new Map(templates.map((t) => [t.id, t])),
  };
  cache.set(db, built);
  return built;
}

/**
 * The three templates most likely to answer the ticket, best first. Pass the ticket's messages
 * when they are at hand (the ticket page), or they are read.
 */
export async function suggestTemplates(
  db: Db,
  agent: { id: number },
  ticket: Ticket,
  options: { messages?: Pick<Message, "direction" | "text">[]; limit?: number } = {},
): Promise<Suggestion[]> {
  const { index, templates } = await templateIndex(db);
  if (templates.size === 0) return [];
  const usable = (id: number) => {
    const t = templates.get(id)!;
    return canSeeTemplate(agent, t) &&
      (t.scope !== "department" || t.departmentId === ticket.departmentId);
  };
  const messages = options.messages ?? await listMessages(db, ticket.id);
  const question = customerQuestion(ticket, messages);
  return rank(index, question, options.limit ?? 3, usable).map((r) => ({
    templateId: r.key,
    title: templates.get(r.key)!.title,
    score: r.score,
    terms: matchedPhrases(question, r.terms),
  }));
}
