/** Test glue for the services layer: a runtime over a test store, and agents as actors. */
import type { Store } from "../db/client.ts";
import type { Config } from "../config.ts";
import { type Sender, senderFromConfig } from "../mail/sender.ts";
import {
  type Actor,
  CUSTOMER,
  type OpContext,
  type Runtime,
  SYSTEM,
  transact,
  type Wakers,
} from "../services/context.ts";
import { testConfig } from "./helpers.ts";
import type { RawEnvelope } from "../db/raw_messages.ts";
import {
  type IngestResult,
  quarantinedBytes,
  receiveMail,
  type ReceiveOptions,
  reprocessQuarantined,
} from "../services/inbound_mail.ts";
import { parseMessage } from "../mail/parse.ts";
import { replyToCustomer } from "../services/replies.ts";
import {
  type CreatedTicket,
  createTicketForCustomer as openTicket,
  type CustomerTicketInput,
} from "../services/customer_tickets.ts";
import type { TicketStatus } from "../domain/ticket_status.ts";
import { changeStatus as setStatus } from "../services/tickets.ts";
import * as agents from "../db/agents.ts";
import { type Agent, insertAgent } from "../db/agents.ts";
import type { Role } from "../domain/permissions.ts";
import { hashPassword } from "../workers/password_pool.ts";

/** A runtime over `store`; wake-ups are counted unless `wakers` are given. */
export function testRuntime(
  store: Store,
  options: {
    config?: Config;
    /** Overrides of the sender identity built from the config. */
    sender?: Partial<Sender>;
    now?: () => number;
    wakers?: Partial<Wakers>;
  } = {},
): Runtime & { woken: { timers: number; outbox: number } } {
  const config = options.config ?? testConfig("/tmp/madoguchi-unused");
  const woken = { timers: 0, outbox: 0 };
  return {
    store,
    sender: { ...senderFromConfig(config), ...options.sender },
    wakers: {
      timers: () => (woken.timers++, options.wakers?.timers?.()),
      outbox: () => (woken.outbox++, options.wakers?.outbox?.()),
    },
    now: options.now ?? Date.now,
    woken,
  };
}

/** An agent as the actor of an operation. */
export function agent(a: { id: number; name?: string; role?: string }): Actor {
  return { kind: "agent", id: a.id, name: a.name ?? "Agent", role: a.role ?? "admin" };
}

/** Runs one operation as `actor` (default: the system), at `now` when given. */
export function run<T>(
  rt: Runtime,
  op: (ctx: OpContext) => Promise<T>,
  options: { actor?: Actor; now?: number } = {},
): Promise<T> {
  return transact(rt, options.actor ?? SYSTEM, op, { now: options.now });
}

export { CUSTOMER, SYSTEM };

/** The SMTP adapter's `deliver` over a test store: services/inbound_mail.ts `receiveMail`. */
export function deliverTo(
  store: Store,
  options: Parameters<typeof testRuntime>[1] & ReceiveOptions = {},
): (raw: Uint8Array, envelope: RawEnvelope) => Promise<IngestResult> {
  const rt = testRuntime(store, options);
  return (raw, envelope) => receiveMail(rt, raw, envelope, options);
}

/** What the quarantine page's "re-process" button does: parse the stored bytes again, file them. */
export async function reprocess(store: Store, quarantineId: number): Promise<IngestResult> {
  const message = await parseMessage(await quarantinedBytes(store.db, quarantineId));
  return await run(
    testRuntime(store),
    (ctx) => reprocessQuarantined(ctx, { quarantineId, message }),
  );
}

/** An agent's reply as older tests wrote it: a store, sender overrides and the reply. */
export function queueReply(
  store: Store,
  sender: Partial<Sender>,
  input: {
    ticketId: number;
    agent: { id: number; name: string };
    text: string;
    status: TicketStatus;
    now?: number;
  },
): Promise<number> {
  return run(
    testRuntime(store, { sender: { publicUrl: "", ...sender } }),
    (ctx) => replyToCustomer(ctx, input),
    { actor: agent(input.agent), now: input.now },
  );
}

/** Files raw mail the way the SMTP adapter does, at `now` when given. */
export function ingestMessage(
  store: Store,
  raw: Uint8Array,
  envelope: RawEnvelope,
  options: ReceiveOptions & { now?: () => number; sender?: Partial<Sender> } = {},
): Promise<IngestResult> {
  return receiveMail(testRuntime(store, options), raw, envelope, options);
}

/** A ticket opened on a customer's behalf, as older tests wrote it. */
export function createTicketForCustomer(
  store: Store,
  input: CustomerTicketInput & { agentId?: number | null; supportAddress?: string; now?: number },
): Promise<CreatedTicket> {
  const { agentId, supportAddress: _, now, ...rest } = input;
  return run(testRuntime(store), (ctx) => openTicket(ctx, rest), {
    actor: agentId ? agent({ id: agentId }) : SYSTEM,
    now,
  });
}

/** A status change as older tests wrote it (agentId null: the system). */
export function changeStatus(
  store: Store,
  ticketId: number,
  status: TicketStatus,
  agentId: number | null,
  now?: number,
): Promise<void> {
  return run(testRuntime(store), (ctx) => setStatus(ctx, { ticketId, status }), {
    actor: agentId ? agent({ id: agentId }) : SYSTEM,
    now,
  });
}

/**
 * Store-level conveniences for tests that set up agents: each opens its own transaction, as a
 * route or the CLI would, and hashes passwords on the worker pool (db/ takes only hashes).
 */
export async function createAgent(
  store: Store,
  a: { email: string; name: string; password: string; role: Role },
  now = Date.now(),
): Promise<Agent> {
  const passwordHash = await hashPassword(a.password);
  return await store.writeTx((tx) => insertAgent(tx, { ...a, passwordHash }, now));
}

/** A new API token's secret for an agent. */
export function createApiToken(store: Store, agentId: number, name: string): Promise<string> {
  return store.writeTx((tx) => agents.createApiToken(tx, agentId, name, Date.now()));
}

/** A new session's cookie secret for an agent. */
export function createSession(store: Store, agentId: number, ttlMs: number): Promise<string> {
  return store.writeTx((tx) => agents.createSession(tx, agentId, ttlMs, Date.now()));
}

/** Revokes an agent's API token. */
export function revokeApiToken(store: Store, agentId: number, id: number): Promise<void> {
  return store.writeTx((tx) => agents.revokeApiToken(tx, agentId, id, Date.now()));
}

/** Sets an agent's password (ending their sessions but `keepSession`). */
export async function changeAgentPassword(
  store: Store,
  agentId: number,
  password: string,
  options: { keepSession?: string } = {},
): Promise<void> {
  const hash = await hashPassword(password);
  await store.writeTx((tx) => agents.changeAgentPassword(tx, agentId, hash, options));
}
