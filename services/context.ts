/**
 * What every service operation runs in: one write transaction, one instant, who is acting, who we
 * are on outbound mail, and the wake-ups to send once the transaction has committed.
 *
 * The edge (a route handler, the SMTP adapter, a timer handler, a CLI command) opens the
 * transaction with `transact` and calls one operation; operations call repositories in db/ with
 * `ctx.tx` and never open a transaction themselves.
 */
import type { Store, Tx } from "../db/client.ts";
import type { Sender } from "../mail/sender.ts";
import { recordLiveChanges } from "../db/live_changes.ts";

export { recordLiveChanges };

/** The background loops an operation can wake after its commit. */
export type Loop = "timers" | "outbox";

/** Wakes a loop: the scheduler re-reads its next due timer, the outbox worker drains. */
export type Wakers = Record<Loop, () => void>;

/**
 * A ticket changed (a message, a draft, a lock, its status…) or who is on it did ("presence"):
 * live pages should hear of it. Recorded in the change's own transaction (db/live_changes.ts),
 * so the live hubs of every process on the database see it.
 */
export interface ChangeNotice {
  ticketId: number;
  kind?: "ticket" | "presence";
}

/** Where change notices go once their transaction committed (services/live.ts's hub). */
export interface ChangeSink {
  publish(notices: ChangeNotice[]): void;
}

/** Who performs an operation: an agent, the customer (web/mail), or Madoguchi itself. */
export type Actor =
  | {
    kind: "agent";
    id: number;
    name: string;
    role: string;
    /** A restricted agent's departments; null or absent: every department. */
    departmentIds?: readonly number[] | null;
  }
  | { kind: "customer" }
  | { kind: "system" };

export const SYSTEM: Actor = { kind: "system" };
export const CUSTOMER: Actor = { kind: "customer" };

export interface OpContext {
  tx: Tx;
  now: number;
  actor: Actor;
  sender: Sender;
  /** Asks for a loop to be woken after the commit (a timer armed, mail queued). */
  wake(loop: Loop): void;
  /** Tells live pages about a change after the commit (nothing is told if it rolls back). */
  notify(notice: ChangeNotice): void;
}

/** What the edge needs to run operations: the database, our identity, the loops, the clock. */
export interface Runtime {
  store: Store;
  sender: Sender;
  wakers: Wakers;
  now(): number;
  /** Live updates: change notices are published here after each commit (absent: none). */
  changes?: ChangeSink;
}

/** The agent id of an actor, for audit events (null for the customer and the system). */
export function actorAgentId(actor: Actor): number | null {
  return actor.kind === "agent" ? actor.id : null;
}

/** An agent as an actor. */
export function agentActor(
  agent: { id: number; name: string; role: string; departmentIds?: readonly number[] | null },
): Actor {
  return {
    kind: "agent",
    id: agent.id,
    name: agent.name,
    role: agent.role,
    departmentIds: agent.departmentIds ?? null,
  };
}

/**
 * Runs `op` in one write transaction and, once it has committed, wakes the loops it asked for.
 * The edge's only way into the services: if `op` throws, nothing was written and nothing wakes.
 */
export async function transact<T>(
  rt: Runtime,
  actor: Actor,
  op: (ctx: OpContext) => Promise<T>,
  options: { now?: number } = {},
): Promise<T> {
  const pending = new Set<Loop>();
  const notices: ChangeNotice[] = [];
  const now = options.now ?? rt.now();
  const result = await rt.store.writeTx(async (tx) => {
    const r = await op({
      tx,
      now,
      actor,
      sender: rt.sender,
      wake: (loop) => pending.add(loop),
      notify: (n) => notices.push(n),
    });
    await recordLiveChanges(tx, notices, now);
    return r;
  });
  publishChanges(rt, notices);
  for (const loop of pending) {
    try {
      rt.wakers[loop]();
    } catch (error) {
      console.error(`wake ${loop}:`, error);
    }
  }
  return result;
}

/** Hands committed change notices to the live hub; a failing hub never fails the operation. */
export function publishChanges(rt: Runtime, notices: ChangeNotice[]): void {
  if (notices.length === 0 || !rt.changes) return;
  try {
    rt.changes.publish(notices);
  } catch (error) {
    console.error("publish changes:", error);
  }
}

/**
 * A context inside a transaction someone else opened (the scheduler's firing transaction). Its
 * wake-ups are collected in `woken` and its change notices in `notices` for the caller to send
 * after the commit.
 */
export function contextIn(
  tx: Tx,
  now: number,
  sender: Sender,
  woken: Set<Loop>,
  actor: Actor = SYSTEM,
  notices: ChangeNotice[] = [],
): OpContext {
  return {
    tx,
    now,
    actor,
    sender,
    wake: (loop) => woken.add(loop),
    notify: (n) => notices.push(n),
  };
}
