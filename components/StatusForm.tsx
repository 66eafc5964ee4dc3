/** The status-check form: inquiry number and access key. */
import type { Translate } from "../domain/i18n/mod.ts";

export interface StatusFormProps {
  t: Translate;
  number?: string;
  error?: string;
}

/** The form; the key is never echoed back. */
export function StatusForm({ t, number, error }: StatusFormProps) {
  return (
    <section class="card customer-card narrow">
      <h1>{t("status.title")}</h1>
      <p>{t("status.intro")}</p>
      {error && <p class="error" role="alert">{error}</p>}
      <form method="post" action="/status">
        <label>
          {t("status.number")}
          <input
            name="number"
            value={number ?? ""}
            inputMode="numeric"
            required
            autocomplete="off"
          />
        </label>
        <label>
          {t("status.key")}
          <input
            name="key"
            required
            autocomplete="off"
            autocapitalize="characters"
            spellcheck={false}
            placeholder="XXXX-XXXX-XXXX-XXXX"
          />
        </label>
        <button type="submit">{t("status.submit")}</button>
      </form>
    </section>
  );
}
