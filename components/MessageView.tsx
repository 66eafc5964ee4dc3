import type { Message } from "../db/messages.ts";
import type { Translate } from "../domain/i18n/mod.ts";
import { formatDateTime } from "./render.tsx";
import { deliveryProblem, refusalCode } from "../domain/delivery_problem.ts";
import type { Delivery } from "../db/messages.ts";
import { type MailAttachment, MailBody } from "./MailBody.tsx";

export interface MessageViewProps {
  message: Message;
  t: Translate;
  locale: string;
  timeZone: string;
  ticketNumber: number;
  /** The agent asked to load this message's remote images. */
  showImages?: boolean;
}

/** Agent-only attachment URLs: downloads, and inline images (png/jpeg/gif/webp only). */
function agentAttachmentUrl(a: MailAttachment, mode: "download" | "inline"): string {
  return mode === "inline" ? `/attachments/${a.id}/inline` : `/attachments/${a.id}`;
}

/** GET: the message's raw mail as received, saved as an .eml file (routes/tickets.tsx). */
export function originalHref(ticketNumber: number, messageId: number): string {
  return `/tickets/${ticketNumber}/messages/${messageId}/original`;
}

/** One message of a conversation: who, when, body (plain text first), attachments, delivery. */
export function MessageView(
  { message: m, t, locale, timeZone, ticketNumber, showImages = false }: MessageViewProps,
) {
  return (
    <article class={`message ${m.direction}`} id={`m${m.id}`}>
      <header>
        <strong>{m.fromName || m.fromAddress}</strong>{" "}
        <span class="muted">&lt;{m.fromAddress}&gt;</span>
        <time dateTime={new Date(m.createdAt).toISOString()}>
          {formatDateTime(m.createdAt, timeZone, locale)}
        </time>
        {m.autoKind !== "none" && <span class="badge auto">{autoLabel(t, m)}</span>}
        {m.hasOriginal && (
          <a
            class="mail-original muted small"
            href={originalHref(ticketNumber, m.id)}
            title={t("mail.originalTitle")}
            download
          >
            {t("mail.original")}
          </a>
        )}
        {m.delivery && (
          <span class={`badge delivery-${m.delivery.status}`} title={m.delivery.lastError ?? ""}>
            {deliveryText(t, m.delivery, timeZone, locale)}
          </span>
        )}
        {m.delivery && (m.delivery.status === "failed" || m.delivery.status === "held") && (
          <form
            method="post"
            action={`/tickets/${ticketNumber}/messages/${m.id}/retry`}
            class="inline"
          >
            <button type="submit" class="link">{t("ticket.retry")}</button>
          </form>
        )}
      </header>
      <Recipients t={t} message={m} />
      <MailBody
        text={m.text}
        html={m.html}
        sanitized={m.htmlShown}
        attachments={m.attachments}
        attachmentUrl={agentAttachmentUrl}
        showImages={showImages}
        showImagesHref={`/tickets/${ticketNumber}?images=${m.id}#m${m.id}`}
        clipped={m.clipped}
        originalHref={m.hasOriginal ? originalHref(ticketNumber, m.id) : undefined}
        locale={locale}
        t={t}
      />
    </article>
  );
}

const list = (addresses: Message["to"]) =>
  addresses.map((a) => a.name ? `${a.name} <${a.address}>` : a.address).join(", ");

/** To, Cc and (our replies') Bcc, one line each. */
function Recipients({ t, message: m }: { t: Translate; message: Message }) {
  const lines = [
    [t("ticket.to"), m.to],
    [t("composer.cc"), m.cc],
    [t("composer.bcc"), m.bcc ?? []],
  ] as const;
  if (lines.every(([, l]) => l.length === 0)) return null;
  return (
    <dl class="recipients muted small">
      {lines.filter(([, l]) => l.length > 0).map(([label, l]) => (
        <div key={label}>
          <dt>{label}:</dt> <dd>{list(l)}</dd>
        </div>
      ))}
    </dl>
  );
}

/** What kind of automatic mail this is, in words: ours (confirmations, after-hours) or theirs. */
function autoLabel(t: Translate, m: Message): string {
  if (m.direction !== "in") return t("workspace.auto.ours");
  const kind = m.autoKind;
  return kind === "auto-reply" || kind === "bounce" || kind === "bulk"
    ? t(`workspace.auto.${kind}`)
    : t("ticket.auto");
}

/**
 * "送信待ち — リレーに接続できません。再試行 3回目: 12:05": the state, what went wrong in words,
 * and what happens next. The relay's raw error stays in the badge's tooltip.
 */
export function deliveryText(
  t: Translate,
  d: Delivery,
  timeZone: string,
  locale: string,
): string {
  const state = t(`delivery.${d.status}`);
  const problem = d.status === "held" || d.status === "sent" ? null : deliveryProblem(d.lastError);
  if (!problem) return state;
  const reason = t(`delivery.problem.${problem}`, { code: refusalCode(d.lastError) ?? "" }).trim();
  if (d.status !== "queued" || d.attempts === 0) return `${state} — ${reason}`;
  const next = t("delivery.nextAttempt", {
    n: d.attempts,
    at: formatDateTime(d.nextAttemptAt, timeZone, locale),
  });
  return `${state} — ${reason}${next}`;
}
