/**
 * The composer's plain-HTML parts around the textarea: reply or internal note, and the To, Cc and
 * Bcc of a reply (reply-all filled in; each field takes addresses separated by commas). Without
 * JavaScript everything here works as a form; CSS hides the reply-only parts in note mode.
 */
import type { Translate } from "../domain/i18n/mod.ts";

export interface ComposerRecipients {
  to: string;
  cc: string;
  bcc: string;
}

export interface ComposerModeProps {
  t: Translate;
  mode: "reply" | "note";
}

/** Reply to the customer, or an internal note (n). */
export function ComposerMode({ t, mode }: ComposerModeProps) {
  return (
    <fieldset class="composer-mode">
      <legend class="visually-hidden">{t("composer.mode")}</legend>
      <label>
        <input type="radio" name="mode" value="reply" checked={mode === "reply"} />{" "}
        {t("composer.modeReply")}
      </label>
      <label data-shortcut="n" data-shortcut-focus='[data-shortcut="r"]' title="n">
        <input type="radio" name="mode" value="note" checked={mode === "note"} />{" "}
        {t("composer.modeNote")}
      </label>
    </fieldset>
  );
}

export interface RecipientFieldsProps {
  t: Translate;
  values: ComposerRecipients;
  /** Problems by field, in the reader's language. */
  errors: Partial<Record<keyof ComposerRecipients, string>>;
}

/** To, Cc, Bcc; Cc and Bcc fold away while empty and error-free. */
export function RecipientFields({ t, values, errors }: RecipientFieldsProps) {
  const field = (name: keyof ComposerRecipients, label: string) => (
    <div class="recipient">
      <label for={`composer-${name}`}>{label}</label>
      <input
        id={`composer-${name}`}
        name={name}
        value={values[name]}
        autocomplete="off"
        spellcheck={false}
        maxLength={10_000}
        aria-invalid={errors[name] ? "true" : undefined}
        aria-describedby={errors[name] ? `composer-${name}-error` : "composer-recipients-hint"}
      />
      {errors[name] && (
        <p class="error field-error" id={`composer-${name}-error`} role="alert">{errors[name]}</p>
      )}
    </div>
  );
  const copies = values.cc !== "" || values.bcc !== "" || errors.cc || errors.bcc;
  return (
    <div class="composer-recipients reply-only">
      {field("to", t("composer.to"))}
      <details class="composer-copies" open={!!copies}>
        <summary>{t("composer.cc")} / {t("composer.bcc")}</summary>
        {field("cc", t("composer.cc"))}
        {field("bcc", t("composer.bcc"))}
      </details>
      <p class="muted small" id="composer-recipients-hint">{t("composer.recipientsHint")}</p>
    </div>
  );
}
