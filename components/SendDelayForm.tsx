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

/**
 * Under a reply the delay still holds: cancel it (the text comes back as a draft). Without
 * JavaScript the form says when the mail goes; islands/undo_countdown.ts turns that into a live
 * countdown ("送信まで 8秒").
 */
export function UndoSend(
  { t, ticketNumber, messageId, dueAt, now, timeZone, locale }: {
    t: Translate;
    ticketNumber: number;
    messageId: number;
    /** When the outbox sends it (epoch ms), and the page's instant. */
    dueAt: number;
    now: number;
    timeZone: string;
    locale: string;
  },
) {
  const seconds = Math.max(0, Math.ceil((dueAt - now) / 1000));
  const time = new Intl.DateTimeFormat(locale === "en" ? "en-GB" : "ja-JP", {
    timeZone,
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).format(dueAt);
  return (
    <form
      method="post"
      action={`/tickets/${ticketNumber}/messages/${messageId}/cancel`}
      class="undo-send"
      data-seconds={seconds}
      data-countdown={t("live.delay.countdown")}
    >
      <span class="countdown small" role="timer">{t("live.delay.at", { time })}</span>{" "}
      <button type="submit" class="secondary">{t("guard.delay.cancel")}</button>
    </form>
  );
}
