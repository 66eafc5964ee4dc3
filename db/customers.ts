/** Customer records, keyed by lower-cased address (plus-tags kept: they are the customer's choice). */
import type { Db, Tx } from "./client.ts";

export interface Customer {
  id: number;
  email: string;
  name: string;
}

export interface UpsertCustomerOptions {
  /**
   * Keep an existing customer's name: the name came from a channel where anyone can type any
   * address (the public inquiry form), so it must not rename the address's real owner. A new
   * customer still gets it.
   */
  keepExistingName?: boolean;
}

/**
 * Finds or creates the customer for an address; a non-empty display name updates the record
 * (mail, an agent's entry) unless `keepExistingName`.
 */
export async function upsertCustomer(
  tx: Tx,
  email: string,
  name: string,
  now: number,
  options: UpsertCustomerOptions = {},
): Promise<Customer> {
  const address = email.toLowerCase();
  const existing = await tx.selectFrom("customers").select(["id", "email", "name"])
    .where("email", "=", address).executeTakeFirst();
  if (existing) {
    if (name && name !== existing.name && !options.keepExistingName) {
      await tx.updateTable("customers").set({ name, updated_at: now })
        .where("id", "=", existing.id).execute();
      return { ...existing, name };
    }
    return existing;
  }
  const displayName = name || address.split("@")[0];
  const { id } = await tx.insertInto("customers")
    .values({ email: address, name: displayName, created_at: now, updated_at: now })
    .returning("id").executeTakeFirstOrThrow();
  return { id, email: address, name: displayName };
}

/** A customer by id, or undefined. */
export function findCustomer(db: Db | Tx, id: number): Promise<Customer | undefined> {
  return db.selectFrom("customers").select(["id", "email", "name"]).where("id", "=", id)
    .executeTakeFirst();
}

export interface CustomerRecord extends Customer {
  createdAt: number;
  updatedAt: number;
}

/** A customer with the record's dates (for the customer page), or undefined. */
export function findCustomerRecord(db: Db, id: number): Promise<CustomerRecord | undefined> {
  return db.selectFrom("customers")
    .select(["id", "email", "name", "created_at as createdAt", "updated_at as updatedAt"])
    .where("id", "=", id).executeTakeFirst();
}
