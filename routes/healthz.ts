/** GET /healthz: database and SMTP listener state, 503 when the database does not answer. */
import { Hono } from "hono";
import { sql } from "kysely";
import type { AppEnv } from "./state.ts";

/** Routes: GET /healthz. */
export function healthRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/", async (c) => {
    const { store, smtpStatus } = c.get("deps");
    let db: { ok: boolean; error?: string };
    try {
      await sql`select 1`.execute(store.db);
      db = { ok: true };
    } catch (e) {
      // The page is public: the driver's text (paths, hosts, SQL) goes to the log only.
      console.error("healthz: database check failed", e);
      db = { ok: false, error: "database unavailable" };
    }
    const smtp = smtpStatus?.() ?? null;
    const ok = db.ok && (smtp === null || smtp.listening);
    return c.json({ ok, db, smtp }, ok ? 200 : 503);
  });
  return app;
}
