/** Departments and their inquiry-form and confirmation settings. */
import type { Db, Tx } from "./client.ts";
import { ConflictError } from "../domain/errors.ts";
import type { DepartmentSettings } from "../domain/department_form.ts";
import { normalizeField, parseFormFields } from "../domain/inquiry_form.ts";
import { parseTemplateOverrides } from "../domain/mail_template.ts";

export interface Department {
  id: number;
  name: string;
  slug: string;
}

export type { DepartmentSettings };

/** Every department, in creation order. */
export function listDepartments(db: Db): Promise<Department[]> {
  return db.selectFrom("departments").select(["id", "name", "slug"]).orderBy("id").execute();
}

/** A department by id, or undefined. */
export function findDepartment(db: Db | Tx, id: number): Promise<Department | undefined> {
  return db.selectFrom("departments").select(["id", "name", "slug"]).where("id", "=", id)
    .executeTakeFirst();
}

/** A department by its URL slug, or undefined. */
export function findDepartmentBySlug(db: Db | Tx, slug: string): Promise<Department | undefined> {
  return db.selectFrom("departments").select(["id", "name", "slug"]).where("slug", "=", slug)
    .executeTakeFirst();
}

/** The default department (the first one; "support" from the initial migration). */
export function findDefaultDepartment(db: Db): Promise<Department | undefined> {
  return db.selectFrom("departments").select(["id", "name", "slug"]).orderBy("id").limit(1)
    .executeTakeFirst();
}

/** Creates a department; ConflictError when the slug is taken. */
export async function createDepartment(
  tx: Tx,
  d: { name: string; slug: string },
  now: number,
): Promise<Department> {
  const taken = await tx.selectFrom("departments").select("id").where("slug", "=", d.slug)
    .executeTakeFirst();
  if (taken) throw new ConflictError("Cannot create department: the slug is taken");
  const { id } = await tx.insertInto("departments")
    .values({ name: d.name, slug: d.slug, created_at: now }).returning("id")
    .executeTakeFirstOrThrow();
  return { id, ...d };
}

/** A department's settings; the defaults when it has none saved. */
export async function findDepartmentSettings(
  db: Db | Tx,
  departmentId: number,
): Promise<DepartmentSettings> {
  const row = await db.selectFrom("department_settings").selectAll()
    .where("department_id", "=", departmentId).executeTakeFirst();
  if (!row) {
    return {
      form: parseFormFields(null),
      confirmCustomer: true,
      confirmAgents: true,
      notifyAgentIds: [],
      templates: {},
    };
  }
  let ids: unknown;
  try {
    ids = JSON.parse(row.notify_agent_ids_json);
  } catch {
    ids = [];
  }
  return {
    form: parseFormFields(row.form_json),
    confirmCustomer: row.confirm_customer === 1,
    confirmAgents: row.confirm_agents === 1,
    notifyAgentIds: Array.isArray(ids) ? ids.filter(Number.isSafeInteger) : [],
    templates: parseTemplateOverrides(row.templates_json),
  };
}

/** Saves a department's name and settings. */
export async function saveDepartmentSettings(
  tx: Tx,
  departmentId: number,
  name: string,
  s: DepartmentSettings,
  now: number,
): Promise<void> {
  const values = {
    form_json: JSON.stringify(s.form.map(normalizeField)),
    confirm_customer: s.confirmCustomer ? 1 : 0,
    confirm_agents: s.confirmAgents ? 1 : 0,
    notify_agent_ids_json: JSON.stringify(s.notifyAgentIds),
    templates_json: JSON.stringify(s.templates),
    updated_at: now,
  };
  await tx.updateTable("departments").set({ name }).where("id", "=", departmentId).execute();
  await tx.insertInto("department_settings").values({ department_id: departmentId, ...values })
    .onConflict((oc) => oc.column("department_id").doUpdateSet(values)).execute();
}

/** The enabled agents to notify of a department's new inquiries, with their languages. */
export async function departmentRecipients(
  db: Db | Tx,
  notifyAgentIds: number[],
): Promise<{ email: string; name: string; locale: string }[]> {
  let q = db.selectFrom("agents").select(["email", "name", "locale"]).where("disabled", "=", 0);
  if (notifyAgentIds.length > 0) q = q.where("id", "in", notifyAgentIds);
  return await q.orderBy("id").execute();
}

/** Every enabled agent, for the notification checkboxes. */
export function listAgentsForNotify(db: Db) {
  return db.selectFrom("agents").select(["id", "name", "email"]).where("disabled", "=", 0)
    .orderBy("id").execute();
}
