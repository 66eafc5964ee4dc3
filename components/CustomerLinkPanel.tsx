/** On the ticket page: what the customer's private page is and the button that rotates its link. */
import type { Translate } from "../domain/i18n/mod.ts";

export interface CustomerLinkPanelProps {
  t: Translate;
  ticketNumber: number;
}

/** Explains the customer link and offers rotation (revokes all links, mails new ones). */
export function CustomerLinkPanel({ t, ticketNumber }: CustomerLinkPanelProps) {
  return (
    <details class="customer-link" id="customer-link">
      <summary>{t("customerLink.title")}</summary>
      <p class="muted small">{t("customerLink.explain")}</p>
      <form method="post" action={`/tickets/${ticketNumber}/customer-link/rotate`} class="inline">
        <button type="submit">{t("customerLink.rotate")}</button>
      </form>
    </details>
  );
}
