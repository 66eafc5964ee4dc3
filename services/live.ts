/**
 * Live updates: each process's hub turns the change feed (db/live_changes.ts, written in the
 * transaction of every change, by whichever process made it) into events for agent pages and API
 * clients (Server-Sent Events, routes/events.ts).
 *
 * - The hub reads the feed by id: at once when this process committed a change (`publish`), and
 *   every `pollMs` for changes made by other processes (a second web process, a CLI import). A
 *   burst of rows becomes one read of the changed tickets and one of the inbox counts, however
 *   many pages listen. Nothing is read while nobody listens.
 * - An event's id is the feed id it brings up to date, so a client that reconnects — to this
 *   process or another — with `Last-Event-ID` gets the current state of everything that changed
 *   since. An id the feed no longer holds (older than LIVE_RETENTION_MS, or from another
 *   database) gets a `reset` (reload the page): nothing is lost silently.
 * - Presence (who views or writes a ticket) is in the database too (services/presence.ts); a
 *   beat that expires without a "gone" is noticed here, by time, with no write.
 */
import type { Db } from "../db/client.ts";
import { countByStatus } from "../db/ticket_list.ts";
import { draftersOf } from "../db/reply_drafts.ts";
import {
  type LiveChange,
  liveChangeBounds,
  liveChangesSince,
  liveChangeTime,
} from "../db/live_changes.ts";
import { presenceOf, type PresencePerson, ticketsWithPresenceExpired } from "../db/presence.ts";
import type { ChangeNotice, ChangeSink } from "./context.ts";
import { LOCK_STALE_MS } from "./reply_lock.ts";

export type { PresencePerson, PresenceState } from "../db/presence.ts";

export type LiveEventType = "ticket" | "counts" | "presence";

export interface LiveEvent {
  /** The feed id this event brings the client up to (absent on an event that adds nothing). */
  id?: string;
  type: LiveEventType;
  data: Record<string, unknown>;
}

/** A ticket as live pages see it change. */
export interface TicketChangeData {
  number: number;
  status: string;
  version: number;
  subject: string;
  /** Colleagues with a saved draft ("下書きあり (山田)"). */
  drafts: { id: number; name: string }[];
  /** Who holds the reply now (services/reply_lock.ts), or null. */
  writer: { id: number; name: string } | null;
  /** An agent restricted to some departments hears only of theirs (routes/events.ts). */
  department_id: number;
}

export interface Subscriber {
  onEvent(e: LiveEvent): void;
  /** The hub is closing (shutdown): end the stream. */
  onClose(): void;
}

export interface LiveHub extends ChangeSink {
  /**
   * Starts delivering events to `s`; with `lastEventId`, first what it missed since ("reset":
   * it cannot be told).
   */
  subscribe(
    s: Subscriber,
    lastEventId?: string | null,
  ): Promise<{ missed: LiveEvent[] | "reset"; unsubscribe(): void }>;
  /** Reads the feed now (tests; the interval and `publish` do it otherwise). */
  refresh(): Promise<void>;
  /** Resolves once the reads under way have become events (tests). */
  flushed(): Promise<void>;
  /** Ends every stream (before the HTTP server shuts down, which waits for open responses). */
  close(): void;
}

export interface LiveHubOptions {
  now?: () => number;
  /** How often the feed is read for other processes' changes while someone listens. */
  pollMs?: number;
  /** How long a burst of local commits is gathered before the feed is read. */
  coalesceMs?: number;
  /** A catch-up longer than this many feed rows is a reset (the page reloads instead). */
  maxReplay?: number;
}

/** Builds the events of a batch of feed rows: one per ticket and per presence, then counts. */
async function eventsFor(db: Db, rows: LiveChange[], at: number, expired: number[] = []) {
  const ticketIds = new Map<number, number>();
  const presenceIds = new Map<number, number>();
  for (const r of rows) (r.kind === "presence" ? presenceIds : ticketIds).set(r.ticketId, r.id);
  const lastId = rows.length ? rows[rows.length - 1].id : 0;
  for (const id of expired) if (!presenceIds.has(id)) presenceIds.set(id, 0);
  const ids = [...ticketIds.keys()];
  const pids = [...presenceIds.keys()];
  const all = [...new Set([...ids, ...pids])];
  if (all.length === 0) return [];
  const [tickets, drafts, locks, people, counts] = await Promise.all([
    db.selectFrom("tickets")
      .select(["id", "number", "status", "version", "subject", "department_id"])
      .where("id", "in", all).execute(),
    ids.length ? draftersOf(db, ids) : new Map<number, { id: number; name: string }[]>(),
    ids.length
      ? db.selectFrom("reply_locks").innerJoin("agents", "agents.id", "reply_locks.agent_id")
        .select(["reply_locks.ticket_id as ticketId", "agents.id", "agents.name"])
        .where("reply_locks.ticket_id", "in", ids)
        .where("reply_locks.seen_at", ">=", at - LOCK_STALE_MS).execute()
      : [],
    pids.length ? presenceOf(db, pids, at) : new Map<number, PresencePerson[]>(),
    ids.length ? countByStatus(db) : null,
  ]);
  const byId = new Map(tickets.map((t) => [t.id, t]));
  const out: { order: number; e: LiveEvent }[] = [];
  for (const [ticketId, feedId] of ticketIds) {
    const r = byId.get(ticketId);
    if (!r) continue;
    const lock = locks.find((l) => l.ticketId === ticketId);
    const data: TicketChangeData = {
      number: r.number,
      status: r.status,
      version: r.version,
      subject: r.subject,
      drafts: drafts.get(ticketId) ?? [],
      writer: lock ? { id: lock.id, name: lock.name } : null,
      department_id: r.department_id,
    };
    out.push({ order: feedId, e: { id: String(feedId), type: "ticket", data: { ...data } } });
  }
  for (const [ticketId, feedId] of presenceIds) {
    const r = byId.get(ticketId);
    if (!r) continue;
    const e: LiveEvent = {
      type: "presence",
      data: {
        number: r.number,
        people: people.get(ticketId) ?? [],
        department_id: r.department_id,
      },
    };
    if (feedId) e.id = String(feedId);
    out.push({ order: feedId, e });
  }
  // In feed order, so the last id a client received means "everything up to it arrived".
  out.sort((a, b) => a.order - b.order);
  const events = out.map((o) => o.e);
  if (counts) {
    events.push({ id: lastId ? String(lastId) : undefined, type: "counts", data: counts });
  }
  return events.map((e) => (e.id === undefined ? (delete e.id, e) : e));
}

/** Creates the process's hub over the database every process writes the feed to. */
export function createLiveHub(db: Db, options: LiveHubOptions = {}): LiveHub {
  const now = options.now ?? Date.now;
  const pollMs = options.pollMs ?? 1_000;
  const coalesceMs = options.coalesceMs ?? 25;
  const maxReplay = options.maxReplay ?? 1_000;
  const subscribers = new Set<Subscriber>();
  /** The last feed id turned into events (null: nobody listened yet). */
  let cursor: number | null = null;
  /** Presence that expired up to this instant has been told. */
  let checkedAt = now();
  let reading: Promise<void> | null = null;
  let again = false;
  let timer: ReturnType<typeof setInterval> | null = null;
  let closed = false;

  function emit(events: LiveEvent[]) {
    for (const e of events) {
      for (const s of subscribers) {
        try {
          s.onEvent(e);
        } catch (error) {
          console.error("live subscriber:", error);
        }
      }
    }
  }

  async function read() {
    if (cursor === null) cursor = (await liveChangeBounds(db)).newest;
    const at = now();
    for (;;) {
      const rows = await liveChangesSince(db, cursor, { limit: 500 });
      const expired = await ticketsWithPresenceExpired(db, checkedAt, at);
      checkedAt = at;
      if (rows.length === 0 && expired.length === 0) return;
      if (rows.length) cursor = rows[rows.length - 1].id;
      emit(await eventsFor(db, rows, at, expired));
      if (rows.length < 500) return;
    }
  }

  function schedule(delay: number) {
    if (closed || subscribers.size === 0) return;
    if (reading) {
      again = true;
      return;
    }
    reading = new Promise<void>((r) => setTimeout(r, delay)).then(read)
      .catch((error) => console.error("live read:", error))
      .finally(() => {
        reading = null;
        if (again) {
          again = false;
          schedule(0);
        }
      });
  }

  function startPolling() {
    if (timer !== null || closed) return;
    timer = setInterval(() => schedule(0), pollMs);
    Deno.unrefTimer(timer as unknown as number);
  }

  function stopPolling() {
    if (timer !== null) clearInterval(timer);
    timer = null;
    // The next listener starts from the feed's end: nobody is owed what happened meanwhile.
    cursor = null;
  }

  async function replay(lastEventId: string): Promise<LiveEvent[] | "reset"> {
    if (!/^\d{1,15}$/.test(lastEventId)) return "reset";
    const last = Number(lastEventId);
    const { oldest, newest } = await liveChangeBounds(db);
    // Up to the feed's end, not this hub's cursor: the client may come from a process that read
    // further. What the next read brings again is a state sent twice, which pages take calmly.
    const upTo = newest;
    if (last > newest) return "reset";
    if (last === upTo) return [];
    // The row right after `last` must still be there, else some were pruned unseen.
    if (oldest === 0 || last < oldest - 1) return "reset";
    const rows = await liveChangesSince(db, last, { until: upTo, limit: maxReplay + 1 });
    if (rows.length > maxReplay) return "reset";
    const since = await liveChangeTime(db, rows[0]?.id ?? upTo);
    const at = now();
    const expired = since === undefined ? [] : await ticketsWithPresenceExpired(db, since, at);
    return await eventsFor(db, rows, at, expired);
  }

  return {
    publish(_notices: ChangeNotice[]) {
      schedule(coalesceMs);
    },
    async subscribe(s, lastEventId) {
      if (cursor === null) cursor = (await liveChangeBounds(db)).newest;
      subscribers.add(s);
      startPolling();
      const unsubscribe = () => {
        subscribers.delete(s);
        if (subscribers.size === 0) stopPolling();
      };
      try {
        return { missed: lastEventId ? await replay(lastEventId) : [], unsubscribe };
      } catch (error) {
        unsubscribe();
        throw error;
      }
    },
    async refresh() {
      if (reading) await reading;
      if (subscribers.size === 0) return;
      reading = read().finally(() => (reading = null));
      await reading;
    },
    async flushed() {
      while (reading) await reading;
    },
    close() {
      closed = true;
      stopPolling();
      for (const s of subscribers) s.onClose();
      subscribers.clear();
    },
  };
}
