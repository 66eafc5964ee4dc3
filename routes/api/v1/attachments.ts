/**
 * /api/v1/attachments/:id: the bytes, served exactly like the web UI's download; and
 * /api/v1/messages/:id/original: the mail as received (message/rfc822, saved as .eml).
 */
import { Hono } from "hono";
import { NotFoundError } from "../../../domain/errors.ts";
import {
  attachmentForAgent,
  attachmentHeaders,
  originalForAgent,
  originalMailResponse,
} from "../../attachments.ts";
import type { AppEnv } from "../../state.ts";

/** Routes under /api/v1/attachments. */
export function attachmentApiRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/:id{[0-9]{1,15}}", async (c) => {
    const id = Number(c.req.param("id"));
    // Of a ticket the token's agent may see (a restricted agent: its departments'), else 404.
    const att = await attachmentForAgent(c, id);
    if (!att) throw new NotFoundError("No such attachment");
    // Always a download of a harmless type, so no attachment can ever run in our origin.
    return c.body(new Uint8Array(att.content), 200, attachmentHeaders(att));
  });
  return app;
}

/** Routes under /api/v1/messages. */
export function messageApiRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/:id{[0-9]{1,15}}/original", async (c) => {
    const id = Number(c.req.param("id"));
    const original = await originalForAgent(c, id);
    if (!original) throw new NotFoundError("No original mail for this message");
    return originalMailResponse(c, id, original);
  });
  return app;
}
