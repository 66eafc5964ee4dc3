/** Attachment downloads: agents only, always as a download, filename per RFC 5987/6266. */
import { Hono } from "hono";
import { findAttachment } from "../db/messages.ts";
import type { AppEnv } from "./state.ts";

/** `attachment; filename="ascii"; filename*=UTF-8''percent-encoded` */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_") || "attachment";
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Routes: GET /attachments/:id. */
export function attachmentRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/:id", async (c) => {
    const id = Number(c.req.param("id"));
    if (!Number.isSafeInteger(id)) return c.notFound();
    const att = await findAttachment(c.get("deps").store.db, id);
    if (!att) return c.notFound();
    // Served as a download with nosniff, so HTML or SVG attachments can never run in our origin.
    return c.body(new Uint8Array(att.content), 200, {
      "content-type": att.contentType || "application/octet-stream",
      "content-disposition": contentDisposition(att.filename),
      "x-content-type-options": "nosniff",
      "cache-control": "private, no-store",
    });
  });
  return app;
}
