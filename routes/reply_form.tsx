/**
 * The composer's POST (multipart, works without JavaScript): text fields, the recipient fields
 * split into one entry per mailbox, and the chosen files — read under the upload body limit.
 */
import { bodyLimit } from "hono/body-limit";
import { MAX_BODY_BYTES, MAX_TOTAL_BYTES } from "../domain/inquiry_form.ts";
import { RECIPIENT_FIELDS, splitEntries } from "../domain/recipients.ts";
import type { RecipientEntries } from "../services/composer.ts";
import type { OutgoingAttachment } from "../mail/compose.ts";
import { renderPage } from "./render.tsx";
import type { Ctx } from "./state.ts";

export interface ReplyFormBody {
  /** First value of each text field. */
  fields: Record<string, string>;
  /** The recipient fields as typed, and as entries; null when the form had none (old form). */
  typed: Record<(typeof RECIPIENT_FIELDS)[number], string>;
  entries: RecipientEntries | null;
  files: File[];
}

/** Reads the reply form: text fields, recipients, and the files posted as `attachments`. */
export async function readReplyForm(c: Ctx): Promise<ReplyFormBody> {
  const body = await c.req.parseBody({ all: true });
  const fields: Record<string, string> = {};
  const files: File[] = [];
  for (const [name, value] of Object.entries(body)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (typeof v === "string") fields[name] ??= v;
      // An empty file input still posts a part with no name and no bytes.
      else if (name === "attachments" && (v.size > 0 || v.name !== "")) files.push(v);
    }
  }
  const typed = { to: fields.to ?? "", cc: fields.cc ?? "", bcc: fields.bcc ?? "" };
  const entries = "to" in fields
    ? { to: splitEntries(typed.to), cc: splitEntries(typed.cc), bcc: splitEntries(typed.bcc) }
    : null;
  return { fields, typed, entries, files };
}

/** Uploads as files to send; the service checks the limits. */
export async function outgoingFiles(files: File[]): Promise<OutgoingAttachment[]> {
  return await Promise.all(files.map(async (f) => ({
    filename: f.name,
    contentType: f.type || "application/octet-stream",
    content: new Uint8Array(await f.arrayBuffer()),
  })));
}

/**
 * The reply route's own body limit (the app's 2 MiB one skips it): the files plus room for the
 * text. Past it nothing was read: a page says so, with the way back to the ticket.
 */
export function replyUploadLimit() {
  return bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => {
      const t = (c as Ctx).get("t");
      const back = c.req.path.replace(/\/reply$/, "");
      return renderPage(
        c as Ctx,
        t("inquiry.tooLargeTitle"),
        <div class="card narrow">
          <h1>{t("inquiry.tooLargeTitle")}</h1>
          <p>{t("inquiry.tooLarge", { total: MAX_TOTAL_BYTES / 1024 / 1024 })}</p>
          <p>
            <a href={`${back}#reply`}>{t("inquiry.back")}</a>
          </p>
        </div>,
        413,
      );
    },
  });
}
