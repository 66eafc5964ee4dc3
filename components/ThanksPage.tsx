/** After an inquiry: its number and where the confirmation went. */
import type { Translate } from "../domain/i18n/mod.ts";

export interface ThanksPageProps {
  t: Translate;
  /** Absent for posts we silently dropped (the honeypot): they get a plain thank-you. */
  number?: number;
  email?: string;
}

/** "ta***@example.com": enough for the visitor to recognise, little for anyone else. */
export function maskEmail(email: string): string {
  const [local, domain] = email.split("@");
  return `${local.slice(0, 2)}***@${domain ?? ""}`;
}

/** The thank-you page. */
export function ThanksPage({ t, number, email }: ThanksPageProps) {
  return (
    <section class="card customer-card">
      <h1>{t("inquiry.thanksTitle")}</h1>
      {number === undefined ? <p>{t("inquiry.thanksPlain")}</p> : (
        <>
          <p>{t("inquiry.thanksNumber")}</p>
          <p class="inquiry-number" id="inquiry-number">{number}</p>
          <p>{t("inquiry.thanksKeep")}</p>
          {email && <p>{t("inquiry.thanksText", { email: maskEmail(email) })}</p>}
          <p>
            <a href="/status">{t("portal.toStatus")}</a>
          </p>
        </>
      )}
    </section>
  );
}
