/** Admin: /admin, the home of every admin section (404 for non-admins, like all of /admin). */
import { Hono } from "hono";
import { renderPage } from "../render.tsx";
import { AdminIndex } from "../../components/AdminIndex.tsx";
import type { AppEnv } from "../state.ts";

/** Routes: GET /admin. */
export function adminOverviewRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/", (c) => {
    const t = c.get("t");
    return renderPage(c, t("admin.title"), <AdminIndex t={t} />);
  });
  return app;
}
