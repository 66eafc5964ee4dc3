/** /api/v1/attachments/:id: the bytes, served exactly like the web UI's download. */
import { Hono } from "hono";
import { findAttachment } from "../../../db/messages.ts";
import { NotFoundError } from "../../../domain/errors.ts";
import { attachmentHeaders } from "../../attachments.ts";
import type { AppEnv } from "../../state.ts";

/** Routes under /api/v1/attachments. */
export function attachmentApiRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/:id{[0-9]{1,15}}", async (c) => {
    const id = Number(c.req.param("id"));
    const att = Number.isSafeInteger(id)
      ? await findAttachment(c.get("deps").store.db, id)
      : undefined;
    if (!att) throw new NotFoundError("No such attachment");
    // Always a download of a harmless type, so no attachment can ever run in our origin.
    return c.body(new Uint8Array(att.content), 200, attachmentHeaders(att));
  });
  return app;
}
