/** /api/v1/attachments/:id: the bytes, served exactly like the web UI's download. */
import { Hono } from "hono";
import { NotFoundError } from "../../../domain/errors.ts";
import { attachmentForAgent, attachmentHeaders } from "../../attachments.ts";
import type { AppEnv } from "../../state.ts";

/** Routes under /api/v1/attachments. */
export function attachmentApiRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/:id{[0-9]{1,15}}", async (c) => {
    const id = Number(c.req.param("id"));
    // Of a ticket the token's agent may see (a restricted agent: its departments'), else 404.
    const att = await attachmentForAgent(c, Number.isSafeInteger(id) ? id : undefined);
    if (!att) throw new NotFoundError("No such attachment");
    // Always a download of a harmless type, so no attachment can ever run in our origin.
    return c.body(new Uint8Array(att.content), 200, attachmentHeaders(att));
  });
  return app;
}
