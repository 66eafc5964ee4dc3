/**
 * How tickets, messages and agents look in the API: snake_case fields, instants as ISO 8601 UTC
 * strings, and only what a client should see (no reply tokens, no password hashes, no raw mail).
 */
import type { Agent } from "../../../db/agents.ts";
import type { Message } from "../../../db/messages.ts";
import type { Ticket, TicketSummary } from "../../../db/tickets.ts";
import { sanitizeMailHtml } from "../../../mail/sanitize_html.ts";

function iso(ms: number): string;
function iso(ms: number | null): string | null;
function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** An agent as `GET /me` shows it. */
export function agentJson(a: Agent) {
  return { id: a.id, email: a.email, name: a.name, role: a.role, locale: a.locale };
}

/** A ticket in a listing. */
export function ticketSummaryJson(t: TicketSummary) {
  return {
    id: t.id,
    number: t.number,
    subject: t.subject,
    status: t.status,
    customer: { email: t.customerEmail, name: t.customerName },
    message_count: t.messageCount,
    assignee: t.assigneeId === null ? null : { id: t.assigneeId, name: t.assigneeName },
    created_at: iso(t.createdAt),
    last_message_at: iso(t.lastMessageAt),
  };
}

/** One ticket with everything but its messages. */
export function ticketJson(t: Ticket) {
  const summary = ticketSummaryJson(t);
  return {
    ...summary,
    channel: t.channel,
    department_id: t.departmentId,
    priority: t.priority,
    version: t.version,
    sla: {
      first_response_due_at: iso(t.firstResponseDueAt),
      next_response_due_at: iso(t.nextResponseDueAt),
      resolution_due_at: iso(t.resolutionDueAt),
    },
    customer: { id: t.customerId, ...summary.customer },
  };
}

/**
 * A message with attachment metadata and delivery state. `html` is sanitized exactly as the agent
 * UI shows it: mail HTML is hostile, and a client that renders it should not have to know that.
 */
export function messageJson(m: Message, publicUrl: string) {
  return {
    id: m.id,
    direction: m.direction,
    message_id: m.messageId,
    from: { address: m.fromAddress, name: m.fromName },
    to: m.to,
    cc: m.cc,
    // Our replies' blind copies (never in the sent headers); [] on other messages.
    bcc: m.bcc ?? [],
    subject: m.subject,
    text: m.text,
    html: m.html === null ? null : m.htmlShown ? m.html : sanitizeMailHtml(m.html),
    // {text?, html?}: the whole part's length in characters when only its beginning is kept
    // (over 512 Ki characters); the whole is in `original_url`'s mail. Null: kept whole.
    clipped: m.clipped,
    // The mail as received (message/rfc822), while its raw bytes are stored; else null.
    original_url: m.hasOriginal ? `${publicUrl}/api/v1/messages/${m.id}/original` : null,
    auto_kind: m.autoKind,
    agent_id: m.agentId,
    created_at: iso(m.createdAt),
    attachments: m.attachments.map((a) => ({
      id: a.id,
      filename: a.filename,
      content_type: a.contentType,
      content_id: a.contentId,
      disposition: a.disposition,
      size: a.size,
      // The API route accepts tokens; /attachments/:id in the web UI needs a session cookie.
      download_url: `${publicUrl}/api/v1/attachments/${a.id}`,
    })),
    delivery: m.delivery && {
      status: m.delivery.status,
      attempts: m.delivery.attempts,
      last_error: m.delivery.lastError,
      next_attempt_at: iso(m.delivery.nextAttemptAt),
      sent_at: iso(m.delivery.sentAt),
    },
  };
}
