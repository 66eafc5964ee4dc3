/**
 * The mail an SLA escalation sends to agents: "ticket #1001's first response is overdue". Marked
 * `Auto-Submitted: auto-generated` (RFC 3834: a notice, not an answer to a message) and recorded
 * on the ticket as an internal note, like the agents' copy of an inquiry. Its subject carries no
 * `[#1001]` tag and its Message-ID no reply token, so an agent answering it by mail can never
 * post into the customer's conversation.
 */
import type { Tx } from "../db/client.ts";
import type { Priority } from "../domain/priority.ts";
import type { SlaLevel, SlaMetric } from "../domain/sla.ts";
import { isMachineAddress } from "./auto_mail.ts";
import { queueAutoMail } from "./outbound_record.ts";
import { dateTimeFormat } from "../domain/intl_cache.ts";

export interface EscalationMailSettings {
  supportAddress: string;
  fromName: string;
  relayConfigured: boolean;
  publicUrl: string;
  /** The zone dates are written in when the agent chose none. */
  timeZone: string;
}

export interface Escalation {
  ticket: { id: number; number: number; subject: string };
  metric: SlaMetric;
  level: SlaLevel;
  dueAt: number;
  departmentName: string;
  priority: Priority;
}

export interface MailRecipient {
  email: string;
  name: string;
  locale: string;
  timeZone: string | null;
}

const TEXT = {
  ja: {
    metric: { first_response: "初回応答", next_response: "次回応答", resolution: "解決" },
    priority: { low: "低", normal: "通常", high: "高", urgent: "緊急" },
    subject: { warning: "SLA警告", breach: "SLA超過" },
    lead: {
      warning: (m: string) => `の${m}期限が近づいています。`,
      breach: (m: string) => `の${m}期限を過ぎました。`,
    },
    due: "期限",
    department: "部署",
    priorityLabel: "優先度",
    ticket: (n: number, s: string) => `チケット #${n}「${s}」`,
  },
  en: {
    metric: {
      first_response: "first response",
      next_response: "next response",
      resolution: "resolution",
    },
    priority: { low: "low", normal: "normal", high: "high", urgent: "urgent" },
    subject: { warning: "SLA warning", breach: "SLA breached" },
    lead: {
      warning: (m: string) => `: the ${m} is due soon.`,
      breach: (m: string) => `: the ${m} is overdue.`,
    },
    due: "Due",
    department: "Department",
    priorityLabel: "Priority",
    ticket: (n: number, s: string) => `Ticket #${n} "${s}"`,
  },
};

/** Queues one escalation mail per language and zone of the recipients; returns how many agents. */
export async function queueEscalationMail(
  tx: Tx,
  settings: EscalationMailSettings,
  e: Escalation,
  recipients: MailRecipient[],
  now: number,
): Promise<number> {
  const groups = new Map<string, MailRecipient[]>();
  for (const r of recipients) {
    if (r.email === settings.supportAddress || isMachineAddress(r.email)) continue;
    const key = `${r.locale === "en" ? "en" : "ja"}|${r.timeZone ?? settings.timeZone}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  let sent = 0;
  for (const [key, group] of groups) {
    const [lang, zone] = key.split("|") as ["ja" | "en", string];
    await queueOne(tx, settings, e, lang, zone, group, now);
    sent += group.length;
  }
  return sent;
}

async function queueOne(
  tx: Tx,
  settings: EscalationMailSettings,
  e: Escalation,
  lang: "ja" | "en",
  zone: string,
  group: MailRecipient[],
  now: number,
) {
  const t = TEXT[lang];
  const metric = t.metric[e.metric];
  const due = dateTimeFormat(lang === "en" ? "en-GB" : "ja-JP", {
    timeZone: zone,
    dateStyle: "medium",
    timeStyle: "short",
  }).format(e.dueAt);
  const subject = `${t.subject[e.level]} #${e.ticket.number}: ${metric} — ${e.ticket.subject}`;
  const text = [
    `${t.ticket(e.ticket.number, e.ticket.subject)}${t.lead[e.level](metric)}`,
    "",
    `${t.due}: ${due} (${zone})`,
    `${t.department}: ${e.departmentName} / ${t.priorityLabel}: ${t.priority[e.priority]}`,
    "",
    `${settings.publicUrl}/tickets/${e.ticket.number}`,
  ].join("\n");
  await queueAutoMail(tx, settings, {
    direction: "note",
    idPrefix: "sla",
    ticket: e.ticket,
    to: group.map((r) => ({ address: r.email, name: r.name })),
    subject,
    text,
    headers: { "Auto-Submitted": "auto-generated" },
    now,
  });
}
