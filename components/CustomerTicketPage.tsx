/** The customer's page for one inquiry: status, conversation and a reply form with attachments. */
import type { Message } from "../db/messages.ts";
import type { Ticket } from "../db/tickets.ts";
import { MAX_LENGTH } from "../domain/inquiry_form.ts";
import { CustomerConversation } from "./CustomerConversation.tsx";
import { FilesHint } from "./FilesHint.tsx";
import type { Translate } from "../domain/i18n/mod.ts";

export interface CustomerTicketPageProps {
  t: Translate;
  locale: string;
  timeZone: string;
  supportName: string;
  ticket: Ticket;
  messages: Message[];
  /** The page's own path (/c/<token>): the form posts back to it. */
  path: string;
  formToken: string;
  draft: { text: string; error?: string };
  notice?: string;
}

/** The page. */
export function CustomerTicketPage(p: CustomerTicketPageProps) {
  const { t, ticket } = p;
  const closed = ticket.status === "resolved" || ticket.status === "no_action";
  return (
    <div class="customer-ticket">
      <section class="card customer-card">
        <h1>{t("portal.title", { number: ticket.number })}</h1>
        <p class="subject">{ticket.subject}</p>
        <p>
          {t("portal.status")}:{" "}
          <span class={`badge status-${ticket.status}`} id="customer-status">
            {t(`portal.status.${ticket.status}`)}
          </span>
        </p>
        {closed && <p class="muted">{t("portal.closedNote")}</p>}
        {p.notice && <p class="notice" role="status">{p.notice}</p>}
      </section>
      <h2>{t("portal.conversation")}</h2>
      <CustomerConversation
        messages={p.messages}
        t={t}
        locale={p.locale}
        timeZone={p.timeZone}
        attachmentBase={`${p.path}/attachments`}
        supportName={p.supportName}
      />
      <section class="card customer-card" id="reply">
        <h2>{t("portal.reply")}</h2>
        {p.draft.error && <p class="error" role="alert">{p.draft.error}</p>}
        <form method="post" action={p.path} enctype="multipart/form-data">
          <input type="hidden" name="form_token" value={p.formToken} />
          <label for="reply-text">{t("portal.replyText")}</label>
          <textarea id="reply-text" name="text" rows={6} maxLength={MAX_LENGTH.text}>
            {p.draft.text}
          </textarea>
          <label for="reply-files">{t("ticket.attachments")}</label>
          <input id="reply-files" type="file" name="files" multiple />
          <FilesHint t={t} />
          <p>
            <button type="submit">{t("portal.send")}</button>
          </p>
        </form>
      </section>
    </div>
  );
}
