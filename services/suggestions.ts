/**
 * Template suggestions without a cloud: the customer's last message against each template the
 * agent may use on the ticket, and against the replies that used it, by BM25 (domain/suggest.ts).
 */
import type { Db } from "../db/client.ts";
import type { Ticket } from "../db/tickets.ts";
import { listMessages } from "../db/messages.ts";
import { pastRepliesByTemplate, type ReplyTemplate } from "../db/templates.ts";
import { buildIndex, type IndexDocument, rank } from "../domain/suggest.ts";
import { templatesForTicket } from "./templates.ts";

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
export async function customerQuestion(db: Db, ticket: Ticket): Promise<string> {
  const messages = await listMessages(db, ticket.id);
  const last = messages.filter((m) => m.direction === "in").at(-1);
  // Quoted history below the customer's words repeats our own replies: keep what they wrote.
  const own = (last?.text ?? "").split("\n").filter((l) => !l.trimStart().startsWith(">"))
    .join("\n").slice(0, 4000);
  return `${ticket.subject}\n${own}`;
}

/** The three templates most likely to answer the ticket, best first. */
export async function suggestTemplates(
  db: Db,
  agent: { id: number },
  ticket: Ticket,
  limit = 3,
): Promise<Suggestion[]> {
  const templates = await templatesForTicket(db, agent, ticket);
  if (templates.length === 0) return [];
  const past = await pastRepliesByTemplate(db, templates.map((t) => t.id));
  const index = buildIndex(templates.map((t) => templateDocument(t, past.get(t.id))));
  const byId = new Map(templates.map((t) => [t.id, t]));
  return rank(index, await customerQuestion(db, ticket), limit).map((r) => ({
    templateId: r.key,
    title: byId.get(r.key)!.title,
    score: r.score,
    terms: r.terms,
  }));
}
