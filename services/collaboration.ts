/**
 * Working on a ticket together: internal notes (メモ) with `@name` mentions, and transfers
 * (転送・エスカレーション) to an agent or a department with a required memo. Notes are messages
 * with direction "note": never sent, never shown on the customer's page.
 */
import { insertMessage } from "../db/messages.ts";
import { listAgents } from "../db/agents.ts";
import { findDepartment } from "../db/departments.ts";
import { insertNotifications } from "../db/notifications.ts";
import { ValidationError } from "../domain/errors.ts";
import type { InboundAttachment } from "../domain/inbound_message.ts";
import { Uploads } from "../domain/inquiry_form.ts";
import { v } from "../domain/validation.ts";
import { mentionedAgents } from "../domain/mentions.ts";
import { canSee } from "../domain/permissions.ts";
import { translator } from "../domain/i18n/mod.ts";
import { queueAutoMail } from "../mail/outbound_record.ts";
import type { OpContext } from "./context.ts";
import { afterTicketChange } from "./after_change.ts";
import { ticketFor } from "./access.ts";
import { assignTicketAs } from "./assignment.ts";
import { changeDepartment } from "./tickets.ts";

export const NOTE_MENTION = "note.mention";
export const TICKET_TRANSFERRED = "ticket.transferred";

function agentOf(ctx: OpContext) {
  if (ctx.actor.kind !== "agent") throw new Error("Only an agent writes notes and transfers");
  return ctx.actor;
}

/**
 * Adds an internal note, with attachments within the same limits as a customer's upload (agents
 * download them; the customer never sees the note or its files); mentioned agents are notified.
 * Returns the note's message id.
 */
export async function addNote(
  ctx: OpContext,
  input: { ticketId: number; text: string; attachments?: InboundAttachment[] },
): Promise<number> {
  const actor = agentOf(ctx);
  const ticket = await ticketFor(ctx, input.ticketId, "ticket.note");
  const text = input.text.replace(/\r\n?/g, "\n").trim();
  const attachments = input.attachments ?? [];
  if (!text && attachments.length === 0) {
    throw new ValidationError("The note is empty", { text: "required" });
  }
  const files = attachments.map((a) => ({
    name: a.filename,
    type: a.contentType,
    size: a.content.byteLength,
  }));
  const checked = v.safeParse(Uploads, files);
  if (!checked.success) {
    throw new ValidationError("The attachments are past the limits", {
      attachments: checked.issues[0].message,
    });
  }
  const agents = (await listAgents(ctx.tx)).filter((a) => !a.disabled);
  const me = agents.find((a) => a.id === actor.id);
  const messageId = await insertMessage(ctx.tx, {
    ticketId: ticket.id,
    direction: "note",
    messageId: null,
    inReplyTo: null,
    references: [],
    from: { address: me?.email ?? "", name: actor.name },
    to: [],
    cc: [],
    subject: "",
    text,
    html: null,
    autoKind: "none",
    rawId: null,
    agentId: actor.id,
    createdAt: ctx.now,
    attachments,
  });
  const mentioned = mentionedAgents(text, agents).filter((id) => {
    const a = agents.find((x) => x.id === id)!;
    return id !== actor.id &&
      canSee({ kind: "agent", ...a, departmentIds: a.restricted ? a.departmentIds : null }, ticket);
  });
  await insertNotifications(ctx.tx, mentioned, {
    ticketId: ticket.id,
    kind: NOTE_MENTION,
    data: { messageId, by: actor.name },
    now: ctx.now,
  });
  await afterTicketChange(ctx, {
    ticketId: ticket.id,
    event: {
      kind: "note.added",
      data: attachments.length
        ? { messageId, mentioned, files: attachments.map((a) => a.filename) }
        : { messageId, mentioned },
    },
  });
  return messageId;
}

/**
 * Hands a ticket to an agent and/or a department with a memo. The receiving agent (or, for a
 * department alone, nobody in particular: the ticket becomes unassigned there) is notified in the
 * app and by mail with a link to the ticket.
 */
export async function transferTicket(
  ctx: OpContext,
  input: { ticketId: number; assigneeId?: number | null; departmentId?: number; memo: string },
): Promise<void> {
  const actor = agentOf(ctx);
  const memo = input.memo.replace(/\r\n?/g, "\n").trim();
  const fields: Record<string, string> = {};
  if (!memo) fields.memo = "required";
  if (input.assigneeId == null && input.departmentId === undefined) {
    fields.assignee_id = "an agent or a department is required";
  }
  if (Object.keys(fields).length > 0) {
    throw new ValidationError("Cannot transfer: the request has invalid fields", fields);
  }
  const ticket = await ticketFor(ctx, input.ticketId, "ticket.transfer");
  let departmentName: string | null = null;
  if (input.departmentId !== undefined && input.departmentId !== ticket.departmentId) {
    const department = await findDepartment(ctx.tx, input.departmentId);
    if (!department) {
      throw new ValidationError("Cannot transfer: no such department", {
        department_id: "unknown",
      });
    }
    departmentName = department.name;
    await changeDepartment(ctx, { ticketId: ticket.id, departmentId: department.id });
  }
  const to = input.assigneeId ?? null;
  const receiver = await assignTicketAs(ctx, {
    ticketId: ticket.id,
    assigneeId: to,
    reason: { via: "transfer" },
  });
  await afterTicketChange(ctx, {
    ticketId: ticket.id,
    event: {
      kind: TICKET_TRANSFERRED,
      data: {
        memo,
        to,
        toName: receiver?.name ?? null,
        departmentId: input.departmentId ?? null,
        departmentName,
      },
    },
  });
  if (!receiver || receiver.id === actor.id) return;
  await insertNotifications(ctx.tx, [receiver.id], {
    ticketId: ticket.id,
    kind: TICKET_TRANSFERRED,
    data: { memo, by: actor.name },
    now: ctx.now,
  });
  const t = translator(receiver.locale === "en" ? "en" : "ja");
  await queueAutoMail(ctx.tx, ctx.sender, {
    direction: "note",
    idPrefix: "transfer",
    ticket,
    to: [{ address: receiver.email, name: receiver.name }],
    subject: t("team.transferMail.subject", { number: ticket.number, subject: ticket.subject }),
    text: t("team.transferMail.body", {
      by: actor.name,
      memo,
      link: `${ctx.sender.publicUrl}/tickets/${ticket.number}`,
    }),
    headers: { "Auto-Submitted": "auto-generated" },
    now: ctx.now,
  });
  ctx.wake("outbox");
}
