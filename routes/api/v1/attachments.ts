/** /api/v1/attachments/:id: the bytes, served exactly like the web UI's download. */
import { Hono } from "hono";
import { findAttachment } from "../../../db/messages.ts";
import { NotFoundError } from "../../../domain/errors.ts";
import { contentDisposition } from "../../attachments.ts";
import type { AppEnv } from "../../state.ts";

/** Routes under /api/v1/attachments. */
export function attachmentApiRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/:id", async (c) => {
    const id = Number(c.req.param("id"));
    const att = Number.isSafeInteger(id)
      ? await findAttachment(c.get("deps").store.db, id)
      : undefined;
    if (!att) throw new NotFoundError("No such attachment");
    // Always a download with nosniff, so HTML or SVG attachments can never run in our origin.
    return c.body(new Uint8Array(att.content), 200, {
      "content-type": att.contentType || "application/octet-stream",
      "content-disposition": contentDisposition(att.filename),
      "x-content-type-options": "nosniff",
      "cache-control": "private, no-store",
    });
  });
  return app;
}
