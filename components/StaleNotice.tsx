/**
 * The reply guards' server-rendered parts on the ticket page. The stale-send refusal: the reply was held because the customer wrote or
 * someone replied since it was begun. The form below keeps the draft and now carries the new
 * version, so its send button is "send anyway"; edit jumps to the text; discard drops the draft.
 */
import type { Translate } from "../domain/i18n/mod.ts";

export interface StaleNoticeProps {
  t: Translate;
  ticketNumber: number;
  /** How many new messages hold the reply. */
  count: number;
}

/** The warning above the held reply, with edit and discard. */
export function StaleNotice({ t, ticketNumber, count }: StaleNoticeProps) {
  return (
    <div class="stale-notice" role="alert">
      <p>
        <strong>{t("guard.stale.title")}</strong> {t("guard.stale.body", { n: count })}
      </p>
      <p class="actions">
        <a href="#reply-form">{t("guard.stale.edit")}</a>{" "}
        <button
          type="submit"
          class="link"
          form="reply-form"
          formaction={`/tickets/${ticketNumber}/draft/discard`}
          formnovalidate
        >
          {t("guard.stale.discard")}
        </button>
      </p>
    </div>
  );
}

/** The mark on a message that arrived after the held reply was begun. */
export function NewMark({ t }: { t: Translate }) {
  return (
    <p class="new-mark">
      <span class="badge new">{t("guard.stale.new")}</span>
    </p>
  );
}

/** A colleague holds the reply: the form's send button now takes it over (explicitly). */
export function LockNotice({ t, name }: { t: Translate; name: string }) {
  return (
    <div class="stale-notice" role="alert">
      <p>
        <strong>{t("guard.lock.title", { name })}</strong> {t("guard.lock.body", { name })}
      </p>
    </div>
  );
}

/** Save the draft on the server, or drop it — plain buttons, so they work without JavaScript. */
export function DraftButtons({ t, ticketNumber }: { t: Translate; ticketNumber: number }) {
  return (
    <span class="draft-buttons">
      <button type="submit" class="secondary" formaction={`/tickets/${ticketNumber}/draft`}>
        {t("guard.draft.save")}
      </button>{" "}
      <button
        type="submit"
        class="link"
        formaction={`/tickets/${ticketNumber}/draft/discard`}
        formnovalidate
      >
        {t("guard.draft.discard")}
      </button>
    </span>
  );
}
