/**
 * Attachment bytes, and a message's mail as received, for agents who may see the ticket. Every
 * attachment response — here, on the customer's page and in the API — gets its headers from
 * `attachmentHeaders`: the sender chose the content type, and a
 * public uploader's `text/javascript` served same-origin would be a valid script for our
 * `script-src 'self'`. So the type is passed on only when it is on a short list of types no
 * browser executes (everything else is `application/octet-stream`), `nosniff` holds the browser to
 * it, and the response carries its own `sandbox` CSP so even a document it renders has no origin,
 * no script and no subresources. Inline display (for `cid:` images in mail HTML) is a separate URL
 * that serves only raster images.
 */
import { Hono } from "hono";
import { findAttachment } from "../db/messages.ts";
import { findOriginalMail } from "../db/raw_messages.ts";
import { INLINE_IMAGE_TYPES } from "../components/mail_html.ts";
import type { AppEnv, Ctx } from "./state.ts";
import { intParam } from "./params.ts";
import { canSee } from "../domain/permissions.ts";

/** `attachment; filename="ascii"; filename*=UTF-8''percent-encoded` (RFC 6266 / RFC 5987). */
export function contentDisposition(
  filename: string,
  type: "attachment" | "inline" = "attachment",
): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_") || "attachment";
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Types passed on as the sender gave them: none of them is run by a browser. */
const HARMLESS_TYPES = new Set([
  ...INLINE_IMAGE_TYPES,
  "application/pdf",
  "application/zip",
  "application/x-zip-compressed",
  "application/gzip",
  "application/msword",
  "application/vnd.ms-excel",
  "application/vnd.ms-powerpoint",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  "application/vnd.oasis.opendocument.text",
  "application/vnd.oasis.opendocument.spreadsheet",
  "application/vnd.oasis.opendocument.presentation",
]);
/** Text types, served with a charset (the sender's when it is a plain token, else UTF-8). */
const TEXT_TYPES = new Set(["text/plain", "text/csv"]);

/** The content type to serve a stored attachment with: harmless types as given, else bytes. */
export function safeContentType(stored: string): string {
  const [base, ...params] = stored.split(";");
  const type = base.trim().toLowerCase();
  if (HARMLESS_TYPES.has(type)) return type;
  if (!TEXT_TYPES.has(type)) return "application/octet-stream";
  const charset = params.map((p) => /^\s*charset\s*=\s*"?([\w.:-]{1,40})"?\s*$/i.exec(p)?.[1])
    .find(Boolean);
  return `${type}; charset=${charset?.toLowerCase() ?? "utf-8"}`;
}

/** The response headers of an attachment download (or an inline image). */
export function attachmentHeaders(
  att: { filename: string; contentType: string },
  disposition: "attachment" | "inline" = "attachment",
): Record<string, string> {
  return {
    "content-type": safeContentType(att.contentType),
    "content-disposition": contentDisposition(att.filename, disposition),
    "x-content-type-options": "nosniff",
    // Kept by secureHeaders (overwrite: false in routes/mod.tsx): stricter than the page policy.
    "content-security-policy": "sandbox; default-src 'none'",
    "cache-control": "private, no-store",
  };
}

/** `found` when the signed-in agent may see its ticket, else undefined (as if it did not exist). */
function ifAgentSees<T extends Parameters<typeof canSee>[1]>(c: Ctx, found: T | undefined) {
  const agent = c.get("agent");
  return found && agent && canSee({ kind: "agent", ...agent }, found) ? found : undefined;
}

/** The attachment named by `:id` when the agent may see its ticket (else as if it did not exist). */
export async function attachmentForAgent(c: Ctx, id: number | undefined) {
  const db = c.get("deps").store.db;
  return ifAgentSees(c, id === undefined ? undefined : await findAttachment(db, id));
}

/** A message's raw mail when the agent may see its ticket and the bytes are still stored. */
export async function originalForAgent(c: Ctx, messageId: number) {
  return ifAgentSees(c, await findOriginalMail(c.get("deps").store.db, messageId));
}

/** A message's raw mail as received, saved as `<ticket>-<message>.eml` (never shown in a page). */
export function originalMailResponse(
  c: Ctx,
  messageId: number,
  original: { content: Uint8Array; ticketNumber: number },
): Response {
  const filename = `${original.ticketNumber}-${messageId}.eml`;
  const headers = attachmentHeaders({ filename, contentType: "message/rfc822" });
  return c.body(new Uint8Array(original.content), 200, headers);
}

function load(c: Ctx) {
  return attachmentForAgent(c, intParam(c, "id"));
}

/** Routes: GET /attachments/:id (download) and GET /attachments/:id/inline (images only). */
export function attachmentRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/:id{[0-9]{1,15}}", async (c) => {
    const att = await load(c);
    if (!att) return c.notFound();
    return c.body(new Uint8Array(att.content), 200, attachmentHeaders(att));
  });
  app.get("/:id{[0-9]{1,15}}/inline", async (c) => {
    const att = await load(c);
    if (!att) return c.notFound();
    // Only raster images are shown; SVG (script) and HTML stay download-only.
    if (!INLINE_IMAGE_TYPES.includes(safeContentType(att.contentType))) {
      return c.text("Not an inline image type", 415);
    }
    return c.body(new Uint8Array(att.content), 200, attachmentHeaders(att, "inline"));
  });
  return app;
}
