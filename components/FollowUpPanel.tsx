/** On the ticket page: the follow-up date (in the agent's zone), a form to set it and to clear it. */
import { followUpInputs } from "../domain/follow_up.ts";
import type { Translate } from "../domain/i18n/mod.ts";
import { formatDateTime } from "./render.tsx";

export interface FollowUpPanelProps {
  t: Translate;
  locale: string;
  timeZone: string;
  ticketNumber: number;
  /** The armed follow-up instant, or null. */
  followUp: number | null;
  /** "invalid" or "past" after a refused form. */
  error?: string | null;
}

/** Shows and edits when the ticket comes back to 未対応 by itself. */
export function FollowUpPanel(p: FollowUpPanelProps) {
  const { t } = p;
  const inputs = p.followUp === null
    ? { date: "", time: "" }
    : followUpInputs(p.followUp, p.timeZone);
  const action = `/tickets/${p.ticketNumber}/follow-up`;
  return (
    <details class="follow-up" id="follow-up" open={p.followUp !== null || !!p.error}>
      <summary>
        {t("followUp.title")}: {p.followUp === null
          ? t("followUp.none")
          : t("followUp.at", { at: formatDateTime(p.followUp, p.timeZone, p.locale) })}
      </summary>
      <p class="muted small">{t("followUp.explain")} ({p.timeZone})</p>
      {p.error === "invalid" && <p class="error" role="alert">{t("followUp.invalid")}</p>}
      {p.error === "past" && <p class="error" role="alert">{t("followUp.past")}</p>}
      <form method="post" action={action} class="inline">
        <label class="inline">
          {t("followUp.date")} <input type="date" name="date" value={inputs.date} required />
        </label>
        <label class="inline">
          {t("followUp.time")} <input type="time" name="time" value={inputs.time} required />
        </label>
        <button type="submit">{t("followUp.set")}</button>
      </form>
      {p.followUp !== null && (
        <form method="post" action={`${action}/clear`} class="inline">
          <button type="submit">{t("followUp.clear")}</button>
        </form>
      )}
    </details>
  );
}
