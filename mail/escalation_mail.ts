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
import { type Locale, translator } from "../domain/i18n/mod.ts";
import { isMachineAddress } from "./auto_mail.ts";
import { queueAutoMail } from "./outbound_record.ts";
import type { Sender } from "./sender.ts";

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

/** Queues one escalation mail per language and zone of the recipients; returns how many agents. */
export async function queueEscalationMail(
  tx: Tx,
  settings: Sender,
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
    const [lang, zone] = key.split("|") as [Locale, string];
    await queueOne(tx, settings, e, lang, zone, group, now);
    sent += group.length;
  }
  return sent;
}

async function queueOne(
  tx: Tx,
  settings: Sender,
  e: Escalation,
  lang: Locale,
  zone: string,
  group: MailRecipient[],
  now: number,
) {
  const { subject, text } = escalationMailText(e, { lang, zone, publicUrl: settings.publicUrl });
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

/** The subject and text of one escalation mail, in a language and the recipients' zone. */
export function escalationMailText(
  e: Escalation,
  options: { lang: Locale; zone: string; publicUrl: string },
): { subject: string; text: string } {
  const { lang, zone } = options;
  const t = translator(lang);
  const { number, subject } = e.ticket;
  const metric = t(`metric.${e.metric}`);
  const due = new Intl.DateTimeFormat(lang === "en" ? "en-GB" : "ja-JP", {
    timeZone: zone,
    dateStyle: "medium",
    timeStyle: "short",
  }).format(e.dueAt);
  const text = [
    t(`escalationMail.lead.${e.level}`, { number, subject, metric }),
    "",
    t("escalationMail.due", { due, zone }),
    t("escalationMail.where", {
      department: e.departmentName,
      priority: t(`escalationMail.priority.${e.priority}`),
    }),
    "",
    `${options.publicUrl}/tickets/${number}`,
  ].join("\n");
  return { subject: t(`escalationMail.subject.${e.level}`, { number, subject, metric }), text };
}
