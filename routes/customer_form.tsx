/**
 * Plumbing shared by the customer-facing forms (inquiry, customer reply): reading a multipart body
 * under an upload limit, turning uploads into attachments, and the form-token key.
 */
import { bodyLimit } from "hono/body-limit";
import { findAppSecret } from "../db/app_secrets.ts";
import type { Store } from "../db/client.ts";
import type { InboundAttachment } from "../domain/inbound_message.ts";
import { formTokenKey } from "../domain/form_token.ts";
import {
  MAX_BODY_BYTES,
  MAX_TOTAL_BYTES,
  safeFilename,
  type UploadedFile,
  Uploads,
} from "../domain/inquiry_form.ts";
import { v } from "../domain/validation.ts";
import { CustomerMessage } from "../components/CustomerLayout.tsx";
import { renderCustomerPage } from "./render.tsx";
import type { Ctx } from "./state.ts";

export interface FormBody {
  fields: Record<string, string>;
  files: File[];
}

/** The text fields (first value of each) and the files posted as "files". */
export async function readFormBody(c: Ctx): Promise<FormBody> {
  const body = await c.req.parseBody({ all: true });
  const fields: Record<string, string> = {};
  const files: File[] = [];
  for (const [name, value] of Object.entries(body)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (typeof v === "string") fields[name] ??= v;
      // An empty file input still posts a part with no name and no bytes.
      else if (name === "files" && (v.size > 0 || v.name !== "")) files.push(v);
    }
  }
  return { fields, files };
}

/** Name, type and size of uploads, for validation. */
export function describeFiles(files: File[]): UploadedFile[] {
  return files.map((f) => ({ name: safeFilename(f.name), type: f.type, size: f.size }));
}

/**
 * Uploads as attachments to store (served later only as downloads, with nosniff). The limits are
 * checked again here, whatever the route validated: nothing past them is ever stored.
 */
export async function toAttachments(files: File[]): Promise<InboundAttachment[]> {
  if (!v.is(Uploads, describeFiles(files))) throw new Error("Cannot store uploads past the limits");
  return await Promise.all(files.map(async (f) => ({
    filename: safeFilename(f.name),
    contentType: /^[\w.+-]+\/[\w.+-]+$/.test(f.type) ? f.type : "application/octet-stream",
    contentId: null,
    disposition: "attachment" as const,
    content: new Uint8Array(await f.arrayBuffer()),
  })));
}

/**
 * A body limit for uploads (the app's general limit is lower and skips these paths). Past it,
 * nothing has been read into the database: the visitor gets a page saying so, and a way back.
 */
export function uploadLimit(options: { private?: boolean } = {}) {
  return bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => tooLarge(c as Ctx, options),
  });
}

function tooLarge(c: Ctx, options: { private?: boolean }) {
  const t = c.get("t");
  return renderCustomerPage(
    c,
    t("inquiry.tooLargeTitle"),
    <CustomerMessage
      title={t("inquiry.tooLargeTitle")}
      text={t("inquiry.tooLarge", { total: MAX_TOTAL_BYTES / 1024 / 1024 })}
      link={{ href: c.req.path, label: t("inquiry.back") }}
    />,
    { status: 413, private: options.private },
  );
}

const keys = new WeakMap<Store, Promise<CryptoKey>>();

/** The key that signs form tokens, loaded once per database. */
export function formKey(c: Ctx): Promise<CryptoKey> {
  const { store } = c.get("deps");
  let key = keys.get(store);
  if (!key) {
    key = findAppSecret(store.db, "form_token").then((secret) => {
      if (!secret) throw new Error("The form-token secret is missing: was migration 0002 run?");
      return formTokenKey(secret);
    });
    key.catch(() => keys.delete(store));
    keys.set(store, key);
  }
  return key;
}
