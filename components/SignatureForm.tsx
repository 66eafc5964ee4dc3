import type { Translate } from "../domain/i18n/mod.ts";

export interface SignatureFormProps {
  t: Translate;
  signature: string;
  error?: string;
  saved?: boolean;
}

/** The agent's own signature on /settings/profile. */
export function SignatureForm({ t, signature, error, saved }: SignatureFormProps) {
  return (
    <section class="card narrow" id="signature">
      <h2>{t("profile.signature")}</h2>
      {saved && <p class="notice" role="status">{t("profile.signatureSaved")}</p>}
      <form method="post" action="/settings/profile/signature">
        <label>
          <span class="muted small">{t("profile.signatureHint")}</span>
          <textarea name="signature" rows={4} aria-invalid={error ? "true" : undefined}>
            {signature}
          </textarea>
        </label>
        {error && <p class="error" role="alert">{error}</p>}
        <button type="submit">{t("profile.saveSignature")}</button>
      </form>
    </section>
  );
}
