/**
 * Send delay (送信取消) on the profile page, and the cancel button on a reply it still holds.
 * Plain forms: they work without JavaScript.
 */
import type { Translate } from "../domain/i18n/mod.ts";

/** The delays offered, in seconds. */
export const SEND_DELAYS = [0, 5, 10, 20, 30] as const;

export function SendDelayForm({ t, seconds }: { t: Translate; seconds: number }) {
  return (
    <section class="card narrow">
      <h2>{t("guard.delay.title")}</h2>
      <p class="muted small">{t("guard.delay.intro")}</p>
      <form method="post" action="/settings/send-delay">
        <label>
          {t("guard.delay.label")}
          <select name="seconds">
            {SEND_DELAYS.map((s) => (
              <option key={s} value={s} selected={s === seconds}>
                {s === 0 ? t("guard.delay.off") : t("guard.delay.seconds", { n: s })}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t("profile.save")}</button>
      </form>
    </section>
  );
}

/** Under a reply the delay still holds: cancel it (the text comes back as a draft). */
export function UndoSend(
  { t, ticketNumber, messageId, seconds }: {
    t: Translate;
    ticketNumber: number;
    messageId: number;
    /** Seconds left when the page was made. */
    seconds: number;
  },
) {
  return (
    <form
      method="post"
      action={`/tickets/${ticketNumber}/messages/${messageId}/cancel`}
      class="undo-send"
    >
      <span class="muted small">{t("guard.delay.pending", { n: seconds })}</span>{" "}
      <button type="submit" class="secondary">{t("guard.delay.cancel")}</button>
    </form>
  );
}
