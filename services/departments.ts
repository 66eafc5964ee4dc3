/**
 * Departments as the team sees them (admins only): name and slug, the addresses they receive,
 * automatic assignment, and their own From name, reply address and signature.
 */
import { createDepartment, findDepartment, findDepartmentBySlug } from "../db/departments.ts";
import { findAssignmentRule, updateAssignmentRule } from "../db/assignment.ts";
import {
  type DepartmentIdentity,
  renameDepartment,
  setDepartmentAddresses,
  updateDepartmentIdentity,
} from "../db/department_addresses.ts";
import { findAgent } from "../db/agents.ts";
import { ConflictError, NotFoundError, ValidationError } from "../domain/errors.ts";
import type { AssignmentMode } from "../domain/assignment.ts";
import { requirePermission } from "./access.ts";
import type { OpContext } from "./context.ts";

export interface DepartmentInput {
  name?: string;
  slug?: string;
  addresses?: string[];
  assignment?: AssignmentMode;
  firstReceiverId?: number | null;
  preferLastAgent?: boolean;
  identity?: DepartmentIdentity;
}

async function apply(ctx: OpContext, id: number, input: DepartmentInput) {
  if (input.addresses) await setDepartmentAddresses(ctx.tx, id, input.addresses);
  if (input.identity) await updateDepartmentIdentity(ctx.tx, id, input.identity);
  if (
    input.assignment !== undefined || input.firstReceiverId !== undefined ||
    input.preferLastAgent !== undefined
  ) {
    const current = (await findAssignmentRule(ctx.tx, id))!;
    const rule = {
      mode: input.assignment ?? current.mode,
      firstReceiverId: input.firstReceiverId === undefined
        ? current.firstReceiverId
        : input.firstReceiverId,
      preferLastAgent: input.preferLastAgent ?? current.preferLastAgent,
    };
    if (rule.mode === "first_receiver") {
      if (rule.firstReceiverId === null || !await findAgent(ctx.tx, rule.firstReceiverId)) {
        throw new ValidationError("A first receiver is required", {
          first_receiver_id: "must name an active agent",
        });
      }
    }
    await updateAssignmentRule(ctx.tx, id, rule);
  }
}

/** Creates a department with its settings. */
export async function createTeamDepartment(ctx: OpContext, input: DepartmentInput) {
  requirePermission(ctx.actor, "departments.manage");
  if (!input.name || !input.slug) {
    const fields: Record<string, string> = {};
    if (!input.name) fields.name = "is required";
    if (!input.slug) fields.slug = "is required";
    throw new ValidationError("The request has invalid fields", fields);
  }
  const d = await createDepartment(ctx.tx, { name: input.name, slug: input.slug }, ctx.now);
  await apply(ctx, d.id, input);
  return d;
}

/** Changes a department's settings. */
export async function changeTeamDepartment(
  ctx: OpContext,
  input: DepartmentInput & { id: number },
) {
  requirePermission(ctx.actor, "departments.manage");
  const d = await findDepartment(ctx.tx, input.id);
  if (!d) throw new NotFoundError("No such department");
  if (input.name || input.slug) {
    if (input.slug && input.slug !== d.slug && await findDepartmentBySlug(ctx.tx, input.slug)) {
      throw new ConflictError("Cannot change department: the slug is taken");
    }
    await renameDepartment(ctx.tx, d.id, {
      name: input.name ?? d.name,
      slug: input.slug ?? d.slug,
    });
  }
  await apply(ctx, d.id, input);
  return (await findDepartment(ctx.tx, d.id))!;
}
