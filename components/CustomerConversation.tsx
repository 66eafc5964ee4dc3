/**
 * A ticket's conversation as its customer sees it: their messages and our replies, rendered by
 * the same MailBody as the agent view (quoted history collapsed, remote images never loaded),
 * attachments through the customer's own link. The caller passes only what the customer may see
 * (never internal notes, never automatic mail).
 */
import type { Message } from "../db/messages.ts";
import type { Translate } from "../domain/i18n/mod.ts";
import { formatDateTime } from "./render.tsx";
import { MailBody } from "./MailBody.tsx";

export interface CustomerConversationProps {
  messages: Message[];
  t: Translate;
  locale: string;
  timeZone: string;
  /** Where this conversation's attachments download from: `${base}/<id>`. */
  attachmentBase: string;
  /** The name our replies are signed with. */
  supportName: string;
}

/** The messages, oldest first. */
export function CustomerConversation(p: CustomerConversationProps) {
  return (
    <section class="customer-conversation">
      {p.messages.map((m) => (
        <article class={`message ${m.direction}`} id={`m${m.id}`} key={m.id}>
          <header>
            <strong>
              {m.direction === "in" ? p.t("portal.you") : m.fromName || p.supportName}
            </strong>
            <time dateTime={new Date(m.createdAt).toISOString()}>
              {formatDateTime(m.createdAt, p.timeZone, p.locale)}
            </time>
          </header>
          <MailBody
            text={m.text}
            html={m.html}
            sanitized={m.htmlShown}
            attachments={m.attachments}
            attachmentUrl={(a) => `${p.attachmentBase}/${a.id}`}
            showImages={false}
            clipped={m.clipped}
            locale={p.locale}
            t={p.t}
          />
        </article>
      ))}
    </section>
  );
}
