/**
 * The web app: every route registered here, explicitly, in one place (no filesystem scan).
 * Tests call `createApp(deps).request(...)` without a port; main.ts serves it.
 */
import { Hono } from "hono";
import { csrf } from "hono/csrf";
import { secureHeaders } from "hono/secure-headers";
import { bodyLimit } from "hono/body-limit";
import { except } from "hono/combine";
import { serveStatic } from "hono/deno";
import { requireAdmin, requireAgent, session } from "./middleware/session.ts";
import type { AppDeps, AppEnv } from "./state.ts";
import type { Runtime } from "../services/context.ts";
import { senderFromConfig } from "../mail/sender.ts";
import { authRoutes } from "./auth.tsx";
import { inboxRoutes } from "./inbox.tsx";
import { reportRoutes } from "./reports.tsx";
import { searchRoutes } from "./search.tsx";
import { ticketRoutes } from "./tickets.tsx";
import { attachmentRoutes } from "./attachments.ts";
import { quarantineRoutes } from "./admin/quarantine.tsx";
import { importRoutes } from "./admin/import.tsx";
import { imapSettingsRoutes } from "./admin/imap.tsx";
import { adminOverviewRoutes } from "./admin/overview.tsx";
import { tokenRoutes } from "./settings/tokens.tsx";
import { profileRoutes } from "./settings/profile.tsx";
import { customerRoutes } from "./customers.tsx";
import { remoteImagesCsp } from "./middleware/remote_images.ts";
import { compressPages } from "./middleware/compress.ts";
import { healthRoutes } from "./healthz.ts";
import { metricsRoutes } from "./metrics.ts";
import { requestMetrics } from "./middleware/metrics.ts";
import { apiRoutes } from "./api/v1/mod.ts";
import { createLoginGuard } from "./login_guard.ts";
import { reminderSettingsRoutes } from "./admin/reminders.tsx";
import { afterHoursRoutes } from "./admin/after_hours.tsx";
import { followUpRoutes } from "./follow_up.ts";
import { inquiryRoutes } from "./inquiry.tsx";
import { customerPageRoutes } from "./customer_page.tsx";
import { statusRoutes } from "./status.tsx";
import { departmentRoutes } from "./admin/departments.tsx";
import { customerLinkRoutes } from "./customer_link.tsx";
import { scheduleRoutes } from "./admin/schedules.tsx";
import { slaRoutes } from "./admin/sla.tsx";
import { spamRuleRoutes } from "./admin/spam.tsx";
import { ticketSpamRoutes } from "./ticket_spam.ts";
import { ticketSlaRoutes } from "./ticket_sla.tsx";
import { notificationRoutes } from "./notifications.tsx";
import { unreadNotifications } from "./middleware/unread_notifications.ts";
import { flash } from "./flash.ts";
import { errorHandler, errorPage } from "./error_pages.tsx";
import { articleRoutes, faqRoutes } from "./faq.tsx";
import { templateRoutes } from "./templates.tsx";
import { agentAdminRoutes } from "./admin/agents.tsx";
import { tagAdminRoutes } from "./admin/tags.tsx";
import { assignmentAdminRoutes } from "./admin/assignment.tsx";
import { routingAdminRoutes } from "./admin/routing.tsx";
import { approvalAdminRoutes } from "./admin/approval.tsx";
import { viewRoutes } from "./views.ts";
import { inviteRoutes } from "./invite.tsx";
import { accountRoutes } from "./settings/account.tsx";
import { teamTicketRoutes } from "./ticket_team.tsx";
import { eventRoutes } from "./events.ts";
import { replyGuardRoutes, sendDelayRoutes } from "./reply_guard.tsx";
import { approvalRoutes } from "./approvals.tsx";
import { createLiveHub } from "../services/live.ts";

const staticRoot = new URL("../static/", import.meta.url).pathname;

/** Builds the Hono app from its dependencies. */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const publicOrigin = new URL(deps.config.publicUrl).origin;
  const formOrigins = deps.config.formOrigins;

  // Outermost: it compresses the final response, whatever the handlers and middleware made.
  app.use(requestMetrics());
  app.use(compressPages());
  // Outside secureHeaders on purpose: it widens img-src of the final policy for one response.
  app.use(remoteImagesCsp());
  app.use(secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      // Remote images in mail stay blocked: only our own origin and inline data. A ticket page
      // widens this for one response when the agent asks (middleware/remote_images.ts).
      imgSrc: ["'self'", "data:"],
      frameSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
      objectSrc: ["'none'"],
    },
    referrerPolicy: "same-origin",
    // A handler's own header wins: attachment downloads send a stricter `sandbox` CSP
    // (routes/attachments.ts). Handlers set security headers only to tighten them.
    overwrite: false,
  }));
  app.use("/static/*", serveStatic({ root: staticRoot, rewriteRequestPath: (p) => p.slice(7) }));
  const live = deps.live ?? createLiveHub(deps.store.db, { now: deps.now });
  const rt: Runtime = {
    store: deps.store,
    sender: senderFromConfig(deps.config),
    wakers: { outbox: () => deps.outbox.wake(), timers: () => deps.scheduler?.wake() },
    now: deps.now ?? Date.now,
    changes: live,
  };
  app.use(async function provideDeps(c, next) {
    c.set("deps", deps);
    c.set("rt", rt);
    c.set("live", live);
    c.set("requestId", crypto.randomUUID());
    await next();
  });
  app.route("/healthz", healthRoutes());
  app.route("/metrics", metricsRoutes());

  // The JSON API authenticates per request (bearer or basic), never by cookie, so no CSRF there.
  const guard = createLoginGuard(deps.store.db, deps.now);
  app.route("/api/v1", apiRoutes(deps, guard));

  app.use(session(deps));
  app.use(unreadNotifications());
  app.use(flash());
  // Only the public URL's origin is ours. The URL the request reached us at is not evidence: its
  // Host is whatever the client sent (behind a proxy, or reached directly by address).
  app.use(
    csrf({
      origin: (origin, c) =>
        origin === publicOrigin ||
        // A company site may post its own copy of the inquiry form (MADOGUCHI_FORM_ORIGINS).
        (/^\/inquiry(\/|$)/.test(c.req.path) && formOrigins.includes(origin)),
    }),
  );
  // Customer uploads have their own, larger limit and a friendly page (routes/customer_form.tsx).
  // An import upload streams to disk with its own limit (routes/admin/import.tsx); a reply with
  // files has the upload limit (routes/reply_form.tsx).
  app.use(
    except(
      ["/inquiry/*", "/c/*", "/admin/import", "/tickets/:number/notes", "/tickets/:number/reply"],
      bodyLimit({ maxSize: 2 * 1024 * 1024 }),
    ),
  );

  app.route("/", authRoutes(guard));
  // The customer channel: public, no agent session, no JavaScript.
  app.route("/inquiry", inquiryRoutes());
  app.route("/c", customerPageRoutes());
  app.route("/status", statusRoutes());
  app.route("/faq", faqRoutes());
  app.route("/invite", inviteRoutes());
  app.use("/admin/*", requireAgent(), requireAdmin());
  app.route("/admin/agents", agentAdminRoutes());
  app.route("/admin/tags", tagAdminRoutes());
  app.route("/admin/assignment", assignmentAdminRoutes());
  app.route("/admin/routing", routingAdminRoutes());
  app.route("/admin/approval", approvalAdminRoutes());
  app.route("/admin", adminOverviewRoutes());
  app.route("/admin/quarantine", quarantineRoutes());
  app.route("/admin/import", importRoutes());
  app.route("/admin/imap", imapSettingsRoutes());
  app.route("/admin/reminders", reminderSettingsRoutes());
  app.route("/admin/after-hours", afterHoursRoutes());
  app.route("/admin/departments", departmentRoutes());
  app.route("/admin/schedules", scheduleRoutes());
  app.route("/admin/sla", slaRoutes());
  app.route("/admin/spam", spamRuleRoutes());
  app.use("*", requireAgent());
  app.route("/", inboxRoutes());
  app.route("/", reportRoutes());
  app.route("/search", searchRoutes());
  app.route("/tickets", ticketRoutes());
  app.route("/tickets", followUpRoutes());
  app.route("/tickets", customerLinkRoutes());
  app.route("/tickets", ticketSlaRoutes());
  app.route("/tickets", ticketSpamRoutes());
  app.route("/tickets", replyGuardRoutes());
  app.route("/notifications", notificationRoutes());
  app.route("/events", eventRoutes());
  app.route("/attachments", attachmentRoutes());
  app.route("/settings/tokens", tokenRoutes());
  app.route("/settings/profile", profileRoutes());
  app.route("/settings/account", accountRoutes());
  app.route("/views", viewRoutes());
  app.route("/tickets", teamTicketRoutes());
  app.route("/settings/send-delay", sendDelayRoutes());
  app.route("/approvals", approvalRoutes());
  app.route("/customers", customerRoutes());
  app.route("/templates", templateRoutes());
  app.route("/articles", articleRoutes());

  app.notFound((c) => errorPage(c, 404));
  app.onError(errorHandler);
  return app;
}
