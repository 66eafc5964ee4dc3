/** Fixtures for repository tests: a fresh migrated store per test, and rows to hang data on. */
import type { Store, Tx } from "../../db/client.ts";
import { insertTicket } from "../../db/tickets.ts";
import { upsertCustomer } from "../../db/customers.ts";
import type { TicketStatus } from "../../domain/ticket_status.ts";
import { tempStore } from "../helpers.ts";

/** Runs `fn` on a fresh migrated database file, removed afterwards. */
export async function withStore(fn: (store: Store) => Promise<void>): Promise<void> {
  const { store, cleanup } = await tempStore();
  try {
    await fn(store);
  } finally {
    await cleanup();
  }
}

/** A ticket for `email` (created on the fly); its reply token is `tok-<subject>` unless given. */
export async function seedTicket(
  tx: Tx,
  t: {
    subject?: string;
    email?: string;
    status?: TicketStatus;
    replyToken?: string;
    departmentId?: number;
    now?: number;
  } = {},
): Promise<{ id: number; number: number; customerId: number; departmentId: number }> {
  const subject = t.subject ?? "件名";
  const customer = await upsertCustomer(tx, t.email ?? "taro@example.com", "", t.now ?? 0);
  const ticket = await insertTicket(tx, {
    subject,
    status: t.status ?? "new",
    customerId: customer.id,
    departmentId: t.departmentId,
    replyToken: t.replyToken ?? `tok-${crypto.randomUUID()}`,
    channel: "mail",
    now: t.now ?? 0,
  });
  return { ...ticket, customerId: customer.id };
}

/** An agent row; returns its id. */
export async function seedAgent(tx: Tx, email: string, name = email.split("@")[0]) {
  const { id } = await tx.insertInto("agents").values({
    email,
    name,
    password_hash: "x",
    role: "agent",
    time_zone: null,
    created_at: 0,
  }).returning("id").executeTakeFirstOrThrow();
  return id;
}
