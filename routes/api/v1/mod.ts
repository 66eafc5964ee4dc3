/**
 * JSON API v1. Mounted before the cookie session and CSRF middleware: every request authenticates
 * itself (see auth.ts), so a cross-site form cannot act with an agent's cookie here. Every answer,
 * errors and unknown paths included, is JSON.
 */
import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../../state.ts";
import { assertAgent } from "../../state.ts";
import { apiAuth } from "./auth.ts";
import type { LoginGuard } from "../../login_guard.ts";
import { apiErrorHandler, errorResponse } from "./errors.ts";
import { jsonBodyLimit, requireJson } from "./json_body.ts";
import { agentJson } from "./json.ts";
import { ticketApiRoutes } from "./tickets.ts";
import { attachmentApiRoutes, messageApiRoutes } from "./attachments.ts";
import { faqApiRoutes, suggestionApiRoutes, templateApiRoutes } from "./knowledge.ts";
import { reportApiRoutes } from "./reports.ts";
import {
  agentApiRoutes,
  departmentApiRoutes,
  notificationApiRoutes,
  tagApiRoutes,
} from "./team.ts";
import { liveStream } from "../../events.ts";
import { approvalApiRoutes } from "./approvals.ts";
import { searchApiRoutes } from "./search.ts";
import { routingRuleApiRoutes } from "./routing_rules.ts";

/** Routes under /api/v1. */
export function apiRoutes(deps: AppDeps, guard: LoginGuard) {
  const app = new Hono<AppEnv>();
  app.use(apiAuth(deps, guard));
  app.use(requireJson());
  // An API-created ticket is the counterpart of an inbound mail, so it gets the same size cap.
  app.use(jsonBodyLimit(deps.config.maxMessageBytes));

  app.get("/me", (c) => c.json(agentJson(assertAgent(c))));
  app.route("/", reportApiRoutes());
  app.route("/tickets", ticketApiRoutes());
  app.route("/tickets", suggestionApiRoutes());
  app.route("/templates", templateApiRoutes());
  app.route("/faq", faqApiRoutes());
  app.route("/attachments", attachmentApiRoutes());
  app.route("/messages", messageApiRoutes());
  app.route("/agents", agentApiRoutes());
  app.route("/departments", departmentApiRoutes());
  app.route("/notifications", notificationApiRoutes());
  app.route("/tags", tagApiRoutes());
  app.route("/routing_rules", routingRuleApiRoutes());
  app.get("/events", (c) => liveStream(c));
  app.route("/approvals", approvalApiRoutes());
  app.route("/search", searchApiRoutes());

  // A mounted sub-app's notFound is never consulted (the parent's is), and an unmatched path would
  // fall through to the session middleware and the HTML pages; this catch-all keeps it JSON.
  app.all("*", (c) => errorResponse(c, 404, { code: "not_found", message: "No such endpoint" }));
  app.onError(apiErrorHandler);
  return app;
}
