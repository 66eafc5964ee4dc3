/** The per-request state every route sees, declared once. */
import type { ImapControl } from "../loops/imap_control.ts";
import type { Context } from "hono";
import type { Agent } from "../db/agents.ts";
import type { Locale, Translate } from "../domain/i18n/mod.ts";
import type { Store } from "../db/client.ts";
import type { Config } from "../config.ts";
import type { OutboxWorker } from "../loops/outbox_worker.ts";
import type { Scheduler } from "../loops/scheduler.ts";
import type { FlashKey } from "./flash.ts";
import type { LiveHub } from "../services/live.ts";
import {
  type Actor,
  agentActor,
  CUSTOMER,
  type OpContext,
  type Runtime,
  transact,
} from "../services/context.ts";

/** What the app is built from: main.ts and tests provide it. */
export interface AppDeps {
  store: Store;
  config: Config;
  outbox: Pick<OutboxWorker, "wake">;
  /** Told when a durable timer is armed, so it re-reads the next due instant. */
  scheduler?: Pick<Scheduler, "wake">;
  /** SMTP listener state for /healthz; absent when the app runs without one (tests). */
  smtpStatus?: () => { listening: boolean; port: number; inFlight: number };
  now?: () => number;
  /** The live hub shared with the SMTP side and the scheduler; createApp makes one if absent. */
  live?: LiveHub;
  /** Heartbeat interval of live streams (tests shorten it). */
  liveHeartbeatMs?: number;
  /** The IMAP pull's control (loops/imap_control.ts): restart after saving, connection test. */
  imap?: Pick<ImapControl, "apply" | "test" | "current">;
}

export interface AppEnv {
  Variables: {
    deps: AppDeps;
    /** The services' runtime built from deps: store, sender identity, loops, clock. */
    rt: Runtime;
    /** Live updates: change events, presence (services/live.ts). */
    live: LiveHub;
    agent: Agent | null;
    locale: Locale;
    t: Translate;
    requestId: string;
    /** Set by a handler whose page shows remote mail images; widens img-src for that response. */
    remoteImages?: boolean;
    /** The agent's unread notifications, for the top bar's badge. */
    unreadNotifications?: number;
    /** A confirmation of the action that led here (routes/flash.ts), shown once. */
    flash?: FlashKey;
  };
}

export type Ctx = Context<AppEnv>;

/** Narrows the context to a logged-in agent; the auth middleware guarantees it on agent routes. */
export function assertAgent(c: Ctx): Agent {
  const agent = c.get("agent");
  if (!agent) throw new Error("assertAgent: no agent on an agent-only route");
  return agent;
}

/** Runs one service operation as the signed-in agent, in its own write transaction. */
export function asAgent<T>(c: Ctx, op: (ctx: OpContext) => Promise<T>): Promise<T> {
  return transact(c.get("rt"), agentActor(assertAgent(c)), op);
}

/** Runs one service operation on behalf of a customer (public pages), in one transaction. */
export function asCustomer<T>(c: Ctx, op: (ctx: OpContext) => Promise<T>): Promise<T> {
  return transact(c.get("rt"), CUSTOMER, op);
}

/** The actor of an API or web request: the signed-in agent. */
export function agentOf(c: Ctx): Actor {
  return agentActor(assertAgent(c));
}

/** The clock of the request (tests pin it through deps.now). */
export function nowOf(c: Ctx): number {
  return c.get("rt").now();
}

/** The zone to show dates in: the agent's own choice, else the configured one. */
export function displayTimeZone(c: Ctx): string {
  return c.get("agent")?.timeZone ?? c.get("deps").config.timeZone;
}
