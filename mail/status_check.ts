/**
 * The status check: an inquiry number and its access key open the customer's page. The key is
 * compared as a SHA-256 digest in constant time, and an unknown number costs the same hash and
 * comparison as a known one, so timing does not tell which numbers have keys.
 */
import type { Db, Store } from "../db/client.ts";
import { findTicketAccessByNumber } from "../db/customer_access.ts";
import { hashAccessKey, normalizeAccessKey, sameDigest } from "../domain/access_key.ts";
import { isClosedForCustomer } from "../domain/customer_link_policy.ts";
import { issueCustomerLink } from "./customer_link.ts";

export type StatusCheck =
  | { kind: "ok"; ticketId: number }
  | { kind: "wrong" }
  | { kind: "closed" };

const NO_KEY = "0".repeat(64);

/** Checks an inquiry number and access key as typed. */
export async function checkAccessKey(
  db: Db,
  number: number | null,
  typedKey: string,
  now: number,
): Promise<StatusCheck> {
  const key = normalizeAccessKey(typedKey);
  const access = number === null ? undefined : await findTicketAccessByNumber(db, number);
  const digest = await hashAccessKey(key ?? typedKey);
  const matches = sameDigest(digest, access?.accessKeyHash ?? NO_KEY);
  if (!access || !key || !matches) return { kind: "wrong" };
  if (isClosedForCustomer(access, now)) return { kind: "closed" };
  return { kind: "ok", ticketId: access.ticketId };
}

/** Mints a link for a customer who passed the status check; returns the token. */
export function openCustomerLink(store: Store, ticketId: number, now: number): Promise<string> {
  return store.writeTx((tx) => issueCustomerLink(tx, ticketId, now));
}
