/**
 * Attachment bytes, agents only. Downloads are always `attachment` with `nosniff`, so an HTML or
 * SVG part can never run in our origin. Inline display (for `cid:` images in mail HTML) is a
 * separate URL that serves only raster image types a browser cannot execute.
 */
import { Hono } from "hono";
import { findAttachment } from "../db/messages.ts";
import { INLINE_IMAGE_TYPES } from "../components/mail_html.ts";
import type { AppEnv, Ctx } from "./state.ts";

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

async function load(c: Ctx) {
  const id = Number(c.req.param("id"));
  if (!Number.isSafeInteger(id)) return undefined;
  return await findAttachment(c.get("deps").store.db, id);
}

/** Routes: GET /attachments/:id (download) and GET /attachments/:id/inline (images only). */
export function attachmentRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/:id", async (c) => {
    const att = await load(c);
    if (!att) return c.notFound();
    return c.body(new Uint8Array(att.content), 200, {
      "content-type": att.contentType || "application/octet-stream",
      "content-disposition": contentDisposition(att.filename),
      "x-content-type-options": "nosniff",
      "cache-control": "private, no-store",
    });
  });
  app.get("/:id/inline", async (c) => {
    const att = await load(c);
    if (!att) return c.notFound();
    // The sender chose the type; only raster images are shown, and nosniff makes the browser
    // hold the bytes to that type. SVG (script) and HTML stay download-only.
    const type = att.contentType.toLowerCase();
    if (!INLINE_IMAGE_TYPES.includes(type)) return c.text("Not an inline image type", 415);
    return c.body(new Uint8Array(att.content), 200, {
      "content-type": type,
      "content-disposition": contentDisposition(att.filename, "inline"),
      "x-content-type-options": "nosniff",
      "cache-control": "private, no-store",
    });
  });
  return app;
}
