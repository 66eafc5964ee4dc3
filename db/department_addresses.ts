/** The addresses each department receives (migration 0012), and its outbound identity. */
import type { Db, Tx } from "./client.ts";
import { ConflictError } from "../domain/errors.ts";

type Executor = Db | Tx;

/** The department claiming the first of `addresses` that any department claims, or undefined. */
export async function departmentForAddresses(
  db: Executor,
  addresses: readonly string[],
): Promise<number | undefined> {
  const wanted = addresses.map((a) => a.toLowerCase());
  if (wanted.length === 0) return undefined;
  const rows = await db.selectFrom("department_addresses").select(["address", "department_id"])
    .where("address", "in", wanted).execute();
  for (const a of wanted) {
    const hit = rows.find((r) => r.address === a);
    if (hit) return hit.department_id;
  }
  return undefined;
}

/** The addresses of a department, sorted. */
export async function listDepartmentAddresses(
  db: Executor,
  departmentId: number,
): Promise<string[]> {
  const rows = await db.selectFrom("department_addresses").select("address")
    .where("department_id", "=", departmentId).orderBy("address").execute();
  return rows.map((r) => r.address);
}

/** Replaces a department's addresses; ConflictError when another department claims one. */
export async function setDepartmentAddresses(
  tx: Tx,
  departmentId: number,
  addresses: readonly string[],
): Promise<void> {
  const wanted = [...new Set(addresses.map((a) => a.toLowerCase()))];
  if (wanted.length > 0) {
    const taken = await tx.selectFrom("department_addresses").select("address")
      .where("address", "in", wanted).where("department_id", "!=", departmentId).executeTakeFirst();
    if (taken) {
      throw new ConflictError(`Cannot claim ${taken.address}: another department receives it`);
    }
  }
  await tx.deleteFrom("department_addresses").where("department_id", "=", departmentId).execute();
  if (wanted.length === 0) return;
  await tx.insertInto("department_addresses")
    .values(wanted.map((address) => ({ address, department_id: departmentId }))).execute();
}

export interface DepartmentIdentity {
  fromName: string | null;
  replyAddress: string | null;
  signature: string | null;
}

/** A department's own From name, reply address and signature (null: the configured ones). */
export async function findDepartmentIdentity(
  db: Executor,
  departmentId: number,
): Promise<DepartmentIdentity> {
  const row = await db.selectFrom("departments")
    .select(["from_name as fromName", "reply_address as replyAddress", "signature"])
    .where("id", "=", departmentId).executeTakeFirst();
  return row ?? { fromName: null, replyAddress: null, signature: null };
}

/** Saves a department's outbound identity. */
export async function updateDepartmentIdentity(
  tx: Tx,
  departmentId: number,
  identity: DepartmentIdentity,
): Promise<void> {
  await tx.updateTable("departments").set({
    from_name: identity.fromName,
    reply_address: identity.replyAddress,
    signature: identity.signature,
  }).where("id", "=", departmentId).execute();
}

/** Changes a department's name and slug. */
export async function renameDepartment(
  tx: Tx,
  departmentId: number,
  d: { name: string; slug: string },
): Promise<void> {
  await tx.updateTable("departments").set({ name: d.name, slug: d.slug })
    .where("id", "=", departmentId).execute();
}
