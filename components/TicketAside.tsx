/**
 * The open ticket's side panel: the customer with their other tickets, the ticket's properties as
 * compact forms (status, assignee, priority, department, tags), SLA clocks and follow-up, then the
 * rarer actions, the internal note, notices sent to agents and the history. Every form is a plain
 * POST. On a phone the panel follows the conversation (static/workspace.css).
 */
import type { ComponentChildren, VNode } from "preact";
import type { Translate } from "../domain/i18n/mod.ts";
import { STATUSES, type TicketStatus } from "../domain/ticket_status.ts";
import type { TicketSummary } from "../db/tickets.ts";
import type { Message } from "../db/messages.ts";
import type { RelativeTimeOptions } from "../domain/relative_time.ts";
import type { SlaParts } from "./SlaPanel.tsx";
import type { TeamParts } from "./TicketSidePanel.tsx";
import { RelTime } from "./RelTime.tsx";

export interface TicketAsideProps {
  t: Translate;
  now: number;
  rel: RelativeTimeOptions;
  ticket: { number: number; status: TicketStatus };
  customer: {
    id: number;
    name: string;
    email: string;
    /** Their latest other tickets this agent may see, and how many there are in all. */
    others: TicketSummary[];
    othersTotal: number;
  };
  sla: SlaParts | null;
  team: TeamParts | null;
  followUp: VNode;
  customerLink: VNode;
  /** The 迷惑メール button (null on a ticket already there). */
  spam: VNode | null;
  /** Mail the desk sent to agents about this ticket (SLA warnings, notices): not conversation. */
  notices: Message[];
}

function Card(
  { title, children, class: cls }: { title: string; children: ComponentChildren; class?: string },
) {
  return (
    <section class={`side-card ${cls ?? ""}`}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

export function TicketAside(p: TicketAsideProps) {
  const { t, customer } = p;
  return (
    <aside class="ticket-side" id="details" aria-label={t("workspace.details")}>
      <Card title={t("workspace.customer")} class="customer-card">
        <p class="who">
          <a href={`/customers/${customer.id}`}>
            <strong>{customer.name || customer.email}</strong>
          </a>
          <span class="muted small email">{customer.email}</span>
        </p>
        <h3>{t("workspace.otherTickets")}</h3>
        {customer.others.length === 0
          ? <p class="muted small">{t("workspace.noOtherTickets")}</p>
          : (
            <ul class="other-tickets">
              {customer.others.map((o) => (
                <li key={o.id}>
                  <a href={`/tickets/${o.number}`}>{o.subject}</a>
                  <span class="meta">
                    <span class={`badge status-${o.status}`}>{t(`status.${o.status}`)}</span>
                    <RelTime at={o.lastMessageAt} now={p.now} opts={p.rel} />
                  </span>
                </li>
              ))}
            </ul>
          )}
        <p class="small">
          <a href={`/customers/${customer.id}`}>
            {customer.othersTotal > customer.others.length
              ? t("workspace.allTickets", { n: customer.othersTotal })
              : t("workspace.customerPage")}
          </a>
        </p>
      </Card>
      <Card title={t("workspace.details")} class="props">
        <form method="post" action={`/tickets/${p.ticket.number}/status`} class="prop">
          <label for="prop-status">{t("inbox.status")}</label>
          <select name="status" id="prop-status">
            {STATUSES.map((s) => (
              <option key={s} value={s} selected={s === p.ticket.status}>{t(`status.${s}`)}</option>
            ))}
          </select>
          <button type="submit">{t("workspace.set")}</button>
        </form>
        {p.team?.assignee}
        {p.sla?.priority}
        {p.sla?.department}
        {p.team?.tags}
      </Card>
      {p.sla && <Card title={t("workspace.sla")} class="sla-card">{p.sla.clocks}</Card>}
      <section class="side-card actions">
        {p.followUp}
        {p.team?.transfer}
        {p.customerLink}
        {p.spam}
      </section>
      {p.team && <section class="side-card notes">{p.team.note}</section>}
      {p.notices.length > 0 && (
        <Card title={t("workspace.notices")} class="agent-notices">
          <ul>
            {p.notices.map((m) => (
              <li key={m.id} id={`m${m.id}`}>
                <RelTime at={m.createdAt} now={p.now} opts={p.rel} /> <span>{m.subject}</span>
                <span class="muted small">
                  → {m.to.map((a) => a.name || a.address).join(", ")}
                </span>
              </li>
            ))}
          </ul>
        </Card>
      )}
      {p.team && <section class="side-card history">{p.team.history}</section>}
    </aside>
  );
}
