/** JSON API v1 — being written; see issue 2. */
import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../../state.ts";

/** Routes under /api/v1. */
export function apiRoutes(_deps: AppDeps) {
  const app = new Hono<AppEnv>();
  return app;
}
