/**
 * The stale-send refusal on the ticket page: the reply was held because the customer wrote or
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
        <a href={`/tickets/${ticketNumber}`}>{t("guard.stale.discard")}</a>
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
