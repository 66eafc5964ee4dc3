/** The limits on uploads, under a file input of a customer form. */
import { MAX_FILE_BYTES, MAX_FILES, MAX_TOTAL_BYTES } from "../domain/inquiry_form.ts";
import type { Translate } from "../domain/i18n/mod.ts";

export interface FilesHintProps {
  t: Translate;
}

/** "At most 5 files, 10 MB each, 20 MB together", in the visitor's language. */
export function FilesHint({ t }: FilesHintProps) {
  return (
    <span class="field-hint">
      {t("inquiry.filesHint", {
        max: MAX_FILES,
        mb: MAX_FILE_BYTES / 1024 / 1024,
        total: MAX_TOTAL_BYTES / 1024 / 1024,
      })}
    </span>
  );
}
