/**
 * Live updates: an in-process hub that turns committed change notices into events for agent
 * pages and API clients (Server-Sent Events, routes/events.ts).
 *
 * - `publish` takes the notices `transact` hands over after a commit; a short window coalesces
 *   a burst (group commit files many mails at once) into one read of the changed tickets and one
 *   of the inbox counts, however many pages listen.
 * - Every event gets an id `<boot>.<seq>` and stays in a bounded ring buffer, so a client that
 *   reconnects with `Last-Event-ID` receives what it missed. An id from another boot, or older
 *   than the buffer, gets a `reset` (reload the page): nothing is lost silently.
 * - Presence (who views or writes a ticket) lives here too, in memory: it is about open tabs,
 *   which a restart closes anyway.
 */
import type { Db } from "../db/client.ts";
import { countByStatus } from "../db/ticket_list.ts";
import { draftersOf } from "../db/reply_drafts.ts";
import type { ChangeNotice, ChangeSink } from "./context.ts";
import { LOCK_STALE_MS } from "./reply_lock.ts";

export type LiveEventType = "ticket" | "counts" | "presence";

export interface LiveEvent {
  id: string;
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
}

export type PresenceState = "viewing" | "writing";

export interface PresencePerson {
  id: number;
  name: string;
  state: PresenceState;
}

export interface Subscriber {
  onEvent(e: LiveEvent): void;
  /** The hub is closing (shutdown): end the stream. */
  onClose(): void;
}

export interface LiveHub extends ChangeSink {
  /** Replays what a client missed since `lastEventId` ("reset": it cannot be told). */
  subscribe(
    s: Subscriber,
    lastEventId?: string | null,
  ): { missed: LiveEvent[] | "reset"; unsubscribe(): void };
  /** Records a presence beat; `gone` leaves. Emits a presence event when the ticket's set changes. */
  beat(
    ticketNumber: number,
    agent: { id: number; name: string },
    state: PresenceState | "gone",
  ): void;
  /** Who is on a ticket now. */
  presence(ticketNumber: number): PresencePerson[];
  /** Resolves once published notices have become events (tests). */
  flushed(): Promise<void>;
  /** Ends every stream (before the HTTP server shuts down, which waits for open responses). */
  close(): void;
}

export interface LiveHubOptions {
  now?: () => number;
  /** How many recent events a reconnecting client can catch up on. */
  bufferSize?: number;
  /** A presence beat lasts this long (the page beats more often; a closed tab stops). */
  presenceTtlMs?: number;
  /** How long a burst of notices is gathered before the tickets are read. */
  coalesceMs?: number;
}

/** Creates the process's hub over the database it reads changed tickets from. */
export function createLiveHub(db: Db, options: LiveHubOptions = {}): LiveHub {
  const now = options.now ?? Date.now;
  const bufferSize = options.bufferSize ?? 2_000;
  const ttl = options.presenceTtlMs ?? 45_000;
  const coalesceMs = options.coalesceMs ?? 25;
  const boot = crypto.randomUUID().slice(0, 8);
  let seq = 0;
  const buffer: LiveEvent[] = [];
  const subscribers = new Set<Subscriber>();
  const pending = new Set<number>();
  let flushing: Promise<void> | null = null;
  const people = new Map<
    number,
    Map<number, { name: string; state: PresenceState; until: number }>
  >();
  let closed = false;

  function emit(type: LiveEventType, data: Record<string, unknown>) {
    const e = { id: `${boot}.${++seq}`, type, data };
    buffer.push(e);
    if (buffer.length > bufferSize) buffer.splice(0, buffer.length - bufferSize);
    for (const s of subscribers) {
      try {
        s.onEvent(e);
      } catch (error) {
        console.error("live subscriber:", error);
      }
    }
  }

  async function flush() {
    await new Promise((r) => setTimeout(r, coalesceMs));
    const ids = [...pending];
    pending.clear();
    if (ids.length === 0) return;
    const at = now();
    const [rows, drafts, locks, counts] = await Promise.all([
      db.selectFrom("tickets").select(["id", "number", "status", "version", "subject"])
        .where("id", "in", ids).execute(),
      draftersOf(db, ids),
      db.selectFrom("reply_locks").innerJoin("agents", "agents.id", "reply_locks.agent_id")
        .select(["reply_locks.ticket_id as ticketId", "agents.id", "agents.name"])
        .where("reply_locks.ticket_id", "in", ids)
        .where("reply_locks.seen_at", ">=", at - LOCK_STALE_MS).execute(),
      countByStatus(db),
    ]);
    for (const r of rows) {
      const lock = locks.find((l) => l.ticketId === r.id);
      const data: TicketChangeData = {
        number: r.number,
        status: r.status,
        version: r.version,
        subject: r.subject,
        drafts: drafts.get(r.id) ?? [],
        writer: lock ? { id: lock.id, name: lock.name } : null,
      };
      emit("ticket", { ...data });
    }
    emit("counts", counts);
  }

  function schedule() {
    if (flushing || closed) return;
    flushing = flush().catch((error) => console.error("live flush:", error)).finally(() => {
      flushing = null;
      if (pending.size > 0) schedule();
    });
  }

  function presenceList(ticketNumber: number): PresencePerson[] {
    const map = people.get(ticketNumber);
    if (!map) return [];
    const at = now();
    const out: PresencePerson[] = [];
    for (const [id, p] of map) {
      if (p.until < at) map.delete(id);
      else out.push({ id, name: p.name, state: p.state });
    }
    if (map.size === 0) people.delete(ticketNumber);
    return out;
  }

  // Expired beats (a tab closed without saying so) leave on the next sweep; it runs only while
  // someone is present.
  let sweep: ReturnType<typeof setInterval> | null = null;
  function sweepPresence() {
    for (const number of [...people.keys()]) {
      const before = people.get(number)!.size;
      const list = presenceList(number);
      if (list.length !== before) emit("presence", { number, people: list });
    }
    if (people.size === 0 && sweep !== null) {
      clearInterval(sweep);
      sweep = null;
    }
  }
  function ensureSweep() {
    if (sweep !== null || closed) return;
    const id = setInterval(sweepPresence, Math.max(1_000, Math.floor(ttl / 3)));
    Deno.unrefTimer(id as unknown as number);
    sweep = id;
  }
  // Before anyone listened there is nobody to catch up, so nothing is read for nobody.
  let listened = false;

  return {
    publish(notices: ChangeNotice[]) {
      if (!listened) return;
      for (const n of notices) pending.add(n.ticketId);
      schedule();
    },
    subscribe(s, lastEventId) {
      subscribers.add(s);
      listened = true;
      let missed: LiveEvent[] | "reset" = [];
      if (lastEventId) {
        const [b, n] = lastEventId.split(".");
        const last = Number(n);
        const oldest = buffer.length ? Number(buffer[0].id.split(".")[1]) : seq + 1;
        if (b !== boot || !Number.isInteger(last) || last > seq || last < oldest - 1) {
          missed = "reset";
        } else missed = buffer.filter((e) => Number(e.id.split(".")[1]) > last);
      }
      return { missed, unsubscribe: () => subscribers.delete(s) };
    },
    beat(ticketNumber, agent, state) {
      const before = JSON.stringify(presenceList(ticketNumber));
      const map = people.get(ticketNumber) ?? new Map();
      if (state === "gone") map.delete(agent.id);
      else map.set(agent.id, { name: agent.name, state, until: now() + ttl });
      if (map.size > 0) {
        people.set(ticketNumber, map);
        ensureSweep();
      } else people.delete(ticketNumber);
      const list = presenceList(ticketNumber);
      if (JSON.stringify(list) !== before) emit("presence", { number: ticketNumber, people: list });
    },
    presence: presenceList,
    async flushed() {
      while (flushing) await flushing;
    },
    close() {
      closed = true;
      if (sweep !== null) clearInterval(sweep);
      for (const s of subscribers) s.onClose();
      subscribers.clear();
    },
  };
}
