import type { Message } from "../db/messages.ts";
import type { Translate } from "./i18n.ts";
import { formatDateTime } from "./render.tsx";

export interface MessageViewProps {
  message: Message;
  t: Translate;
  locale: string;
  timeZone: string;
  ticketNumber: number;
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** One message of a conversation: who, when, body (plain text first), attachments, delivery. */
export function MessageView({ message: m, t, locale, timeZone, ticketNumber }: MessageViewProps) {
  return (
    <article class={`message ${m.direction}`} id={`m${m.id}`}>
      <header>
        <strong>{m.fromName || m.fromAddress}</strong>{" "}
        <span class="muted">&lt;{m.fromAddress}&gt;</span>
        <time dateTime={new Date(m.createdAt).toISOString()}>
          {formatDateTime(m.createdAt, timeZone, locale)}
        </time>
        {m.autoKind !== "none" && <span class="badge auto">{t("ticket.auto")} ({m.autoKind})</span>}
        {m.delivery && (
          <span class={`badge delivery-${m.delivery.status}`} title={m.delivery.lastError ?? ""}>
            {t(`delivery.${m.delivery.status}`)}
            {m.delivery.status !== "held" && m.delivery.lastError
              ? `: ${m.delivery.lastError}`
              : ""}
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
      {m.to.length > 0 && (
        <p class="muted small">
          {t("ticket.to")}:{" "}
          {m.to.map((a) => a.name ? `${a.name} <${a.address}>` : a.address).join(", ")}
        </p>
      )}
      <pre class="body">{m.text}</pre>
      {m.html && (
        <details>
          <summary>{t("ticket.showHtml")}</summary>
          {/* Sanitized at ingest; the sandboxed frame (no scripts, no same-origin) is defence in depth. */}
          <iframe class="html-body" sandbox="" srcdoc={m.html} title="HTML" />
        </details>
      )}
      {m.attachments.length > 0 && (
        <ul class="attachments" aria-label={t("ticket.attachments")}>
          {m.attachments.map((a) => (
            <li>
              <a href={`/attachments/${a.id}`}>{a.filename}</a>{" "}
              <span class="muted">({formatSize(a.size)})</span>
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}
