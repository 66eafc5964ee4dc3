/** On the ticket page: the spam banner with "迷惑メールではない", or a quiet "迷惑メールにする". */
import type { Translate } from "../domain/i18n/mod.ts";

export interface SpamPanelProps {
  t: Translate;
  ticketNumber: number;
  isSpam: boolean;
  /** A held reply: the ticket it claims to answer, and whether it was moved there already. */
  link?: { number: number; moved: boolean } | null;
  /** Replies to this ticket held in 迷惑メール. */
  held?: number[];
  /** Only the notices (the ticket page's header); the 迷惑メール button sits in the side panel. */
  bannerOnly?: boolean;
}

/** Moves a ticket out of, or into, the spam folder (and allows or denies its sender). */
export function SpamPanel(
  { t, ticketNumber, isSpam, link, held = [], bannerOnly = false }: SpamPanelProps,
) {
  if (link?.moved) {
    return (
      <p class="notice" role="status">
        {t("spam.movedTo")} <a href={`/tickets/${link.number}`}>#{link.number}</a>
      </p>
    );
  }
  if (isSpam) {
    return (
      <div class="spam-banner" role="status">
        <p>{t("spam.banner")}</p>
        {link && (
          <p>
            {t("spam.heldReply")} <a href={`/tickets/${link.number}`}>#{link.number}</a>
          </p>
        )}
        <form method="post" action={`/tickets/${ticketNumber}/not-spam`} class="inline">
          <button type="submit">{t("spam.notSpam")}</button>{" "}
          <span class="muted small">
            {t(link ? "spam.notSpamHeldHint" : "spam.notSpamHint")}
          </span>
        </form>
      </div>
    );
  }
  return (
    <>
      {held.length > 0 && (
        <p class="notice" role="status">
          {t("spam.heldReplies")} {held.map((n, i) => (
            <>
              {i > 0 && "、"}
              <a href={`/tickets/${n}`}>#{n}</a>
            </>
          ))}
        </p>
      )}
      {!bannerOnly && <SpamMark t={t} ticketNumber={ticketNumber} />}
    </>
  );
}

function SpamMark({ t, ticketNumber }: { t: Translate; ticketNumber: number }) {
  return (
    <form method="post" action={`/tickets/${ticketNumber}/spam`} class="inline spam-mark">
      <button type="submit" class="secondary" title={t("spam.markSpamHint")}>
        {t("spam.markSpam")}
      </button>
    </form>
  );
}
