/**
 * Reply templates (定型文): who may see and change which, creating one from a sent reply, and
 * filling one for a ticket.
 *
 * Scopes: a personal template is its owner's alone (not even an admin sees it); department and
 * shared templates are seen by every agent and changed by their author or an admin.
 */
import {
  deleteTemplate,
  findMessageText,
  findTemplate,
  insertTemplate,
  listVisibleTemplates,
  type ReplyTemplate,
  type TemplateFields,
  updateTemplate,
} from "../db/templates.ts";
import { findDepartment } from "../db/departments.ts";
import type { Db, Tx } from "../db/client.ts";
import type { Ticket } from "../db/tickets.ts";
import { ForbiddenError, NotFoundError, ValidationError } from "../domain/errors.ts";
import { fillTemplate, type TemplateValues, unknownVariables } from "../domain/template_vars.ts";
import type { Actor, OpContext } from "./context.ts";

type AgentActor = Extract<Actor, { kind: "agent" }>;

function agentOf(actor: Actor): AgentActor {
  if (actor.kind !== "agent") throw new ForbiddenError("Only agents manage templates");
  return actor;
}

/** Whether the agent may see (and so use) the template. */
export function canSeeTemplate(agent: { id: number }, t: ReplyTemplate): boolean {
  return t.scope !== "personal" || t.ownerAgentId === agent.id;
}

/** Whether the agent may change or delete the template. */
export function canEditTemplate(agent: { id: number; role: string }, t: ReplyTemplate): boolean {
  if (t.scope === "personal") return t.ownerAgentId === agent.id;
  return agent.role === "admin" || t.createdBy === agent.id;
}

/** A template the agent may see, else 404 (a personal one of someone else does not exist). */
export async function visibleTemplate(
  db: Db | Tx,
  agent: { id: number },
  id: number,
): Promise<ReplyTemplate> {
  const t = await findTemplate(db, id);
  if (!t || !canSeeTemplate(agent, t)) throw new NotFoundError("No such template");
  return t;
}

export interface TemplateInput {
  title: string;
  body: string;
  category?: string;
  scope: ReplyTemplate["scope"];
  departmentId?: number | null;
}

async function checkFields(ctx: OpContext, agent: AgentActor, input: TemplateInput) {
  const fields: Record<string, string> = {};
  if (!input.title.trim()) fields.title = "required";
  if (!input.body.trim()) fields.body = "required";
  const unknown = unknownVariables(input.body);
  if (unknown.length) {
    fields.body = `unknown variables: ${unknown.map((n) => `{{${n}}}`).join(" ")}`;
  }
  let departmentId: number | null = null;
  if (input.scope === "department") {
    if (!input.departmentId || !(await findDepartment(ctx.tx, input.departmentId))) {
      fields.department_id = "required for a department template";
    } else departmentId = input.departmentId;
  }
  if (Object.keys(fields).length) {
    throw new ValidationError("The template has invalid fields", fields);
  }
  return {
    title: input.title.trim(),
    body: input.body.replace(/\r\n?/g, "\n"),
    category: (input.category ?? "").trim(),
    scope: input.scope,
    ownerAgentId: input.scope === "personal" ? agent.id : null,
    departmentId,
  } satisfies TemplateFields;
}

/** Creates a template as the acting agent; returns its id. */
export async function createTemplate(ctx: OpContext, input: TemplateInput): Promise<number> {
  const agent = agentOf(ctx.actor);
  const fields = await checkFields(ctx, agent, input);
  return await insertTemplate(ctx.tx, { ...fields, createdBy: agent.id, now: ctx.now });
}

/** Changes a template the acting agent may edit (partial input keeps the rest). */
export async function editTemplate(
  ctx: OpContext,
  id: number,
  input: Partial<TemplateInput>,
): Promise<void> {
  const agent = agentOf(ctx.actor);
  const current = await visibleTemplate(ctx.tx, agent, id);
  if (!canEditTemplate(agent, current)) throw new ForbiddenError("Cannot change this template");
  const merged: TemplateInput = {
    title: input.title ?? current.title,
    body: input.body ?? current.body,
    category: input.category ?? current.category,
    scope: input.scope ?? current.scope,
    departmentId: input.departmentId !== undefined ? input.departmentId : current.departmentId,
  };
  // Turning someone's shared template personal would hide it from its author: only yours.
  if (
    merged.scope === "personal" && current.scope !== "personal" && current.createdBy !== agent.id
  ) {
    throw new ForbiddenError("Only its author can make a template personal");
  }
  const fields = await checkFields(ctx, agent, merged);
  if (fields.scope === "personal") fields.ownerAgentId = current.ownerAgentId ?? agent.id;
  await updateTemplate(ctx.tx, id, { ...fields, now: ctx.now });
}

/** Deletes a template the acting agent may edit. */
export async function removeTemplate(ctx: OpContext, id: number): Promise<void> {
  const agent = agentOf(ctx.actor);
  const current = await visibleTemplate(ctx.tx, agent, id);
  if (!canEditTemplate(agent, current)) throw new ForbiddenError("Cannot delete this template");
  await deleteTemplate(ctx.tx, id);
}

/** Saves a sent reply's text as a new personal template (the agent edits it afterwards). */
export async function saveReplyAsTemplate(ctx: OpContext, messageId: number): Promise<number> {
  const agent = agentOf(ctx.actor);
  const message = await findMessageText(ctx.tx, messageId);
  if (!message || message.direction !== "out") throw new NotFoundError("No such reply");
  const title = message.subject.replace(/^\s*(re|fwd?)\s*:\s*/i, "").slice(0, 200) || "—";
  return await insertTemplate(ctx.tx, {
    title,
    body: message.text,
    category: "",
    scope: "personal",
    ownerAgentId: agent.id,
    departmentId: null,
    createdBy: agent.id,
    now: ctx.now,
  });
}

/** The values of a ticket's template variables. */
export async function ticketTemplateValues(
  db: Db | Tx,
  ticket: Ticket,
  agent: { name: string },
): Promise<TemplateValues> {
  const department = await findDepartment(db, ticket.departmentId);
  return {
    "customer.name": ticket.customerName,
    "customer.email": ticket.customerEmail,
    "ticket.number": String(ticket.number),
    "ticket.subject": ticket.subject,
    "agent.name": agent.name,
    "department.name": department?.name ?? "",
  };
}

/** The templates an agent may use on a ticket: personal, shared and its department's. */
export function templatesForTicket(
  db: Db | Tx,
  agent: { id: number },
  ticket: Ticket,
): Promise<ReplyTemplate[]> {
  return listVisibleTemplates(db, agent.id, { departmentId: ticket.departmentId });
}

/** A template filled in for a ticket, ready for the composer. */
export async function filledTemplate(
  db: Db | Tx,
  agent: { id: number; name: string },
  ticket: Ticket,
  templateId: number,
): Promise<{ template: ReplyTemplate; text: string }> {
  const template = await visibleTemplate(db, agent, templateId);
  if (template.scope === "department" && template.departmentId !== ticket.departmentId) {
    throw new NotFoundError("No such template for this ticket's department");
  }
  const values = await ticketTemplateValues(db, ticket, agent);
  return { template, text: fillTemplate(template.body, values) };
}
