/** Who is on each ticket of an inbox page: writers, viewers, drafts (one read for the page). */
import { draftersOf } from "../db/reply_drafts.ts";
import { presenceOf } from "../db/presence.ts";
import type { RowActivityData } from "../components/RowActivity.tsx";
import type { Ctx } from "./state.ts";
import { LOCK_STALE_MS } from "../services/reply_lock.ts";

/** Activity by ticket id for the tickets shown. */
export async function inboxActivity(
  c: Ctx,
  tickets: { id: number; number: number }[],
  now: number,
): Promise<Map<number, RowActivityData>> {
  const { db } = c.get("deps").store;
  const me = c.get("agent")?.id;
  const ids = tickets.map((tk) => tk.id);
  const out = new Map<number, RowActivityData>();
  if (ids.length === 0) return out;
  const [drafts, people, locks] = await Promise.all([
    draftersOf(db, ids),
    presenceOf(db, ids, now),
    db.selectFrom("reply_locks").innerJoin("agents", "agents.id", "reply_locks.agent_id")
      .select(["reply_locks.ticket_id as ticketId", "agents.name"])
      .where("reply_locks.ticket_id", "in", ids)
      .where("reply_locks.seen_at", ">=", now - LOCK_STALE_MS).execute(),
  ]);
  for (const tk of tickets) {
    const a: RowActivityData = {
      writer: locks.find((l) => l.ticketId === tk.id)?.name ?? null,
      // Oneself in another tab is not news.
      viewers: (people.get(tk.id) ?? []).filter((p) => p.id !== me).map((p) => p.name),
      drafts: (drafts.get(tk.id) ?? []).map((d) => d.name),
    };
    if (a.writer || a.viewers.length || a.drafts.length) out.set(tk.id, a);
  }
  return out;
}
