/** GET /notifications: the agent's SLA notices and customer replies; POST to mark them read. */
import { Hono } from "hono";
import {
  listNotifications,
  markNotificationsRead,
  type Notification,
} from "../db/notifications.ts";
import { formatDateTime } from "../components/render.tsx";
import { renderPage } from "./render.tsx";
import { CUSTOMER_REPLIED } from "../services/notices.ts";
import { REPLY_TAKEN_OVER } from "../services/reply_lock.ts";
import { APPROVAL_APPROVED, APPROVAL_RETURNED } from "../services/approvals.ts";
import { type AppEnv, assertAgent, displayTimeZone } from "./state.ts";
import type { Translate } from "../domain/i18n/mod.ts";

function text(t: Translate, n: Notification): string {
  if (n.kind === REPLY_TAKEN_OVER) {
    return t("guard.notice.takenOver", {
      number: n.ticketNumber ?? "",
      by: String(n.data.by ?? ""),
    });
  }
  if (n.kind === APPROVAL_APPROVED || n.kind === APPROVAL_RETURNED) {
    return t(
      n.kind === APPROVAL_APPROVED ? "approval.notice.approved" : "approval.notice.returned",
      {
        number: n.ticketNumber ?? "",
        by: String(n.data.by ?? ""),
        comment: String(n.data.comment ?? ""),
      },
    );
  }
  if (n.kind === CUSTOMER_REPLIED) {
    return t("notifications.customer.replied", { number: n.ticketNumber ?? "" });
  }
  const metric = String(n.data.metric ?? "");
  const label = ["first_response", "next_response", "resolution"].includes(metric)
    ? t(`metric.${metric}` as "metric.resolution")
    : metric;
  const key = n.kind === "sla.warning" ? "notifications.sla.warning" : "notifications.sla.breach";
  return t(key, { number: n.ticketNumber ?? "", metric: label });
}

/** Routes under /notifications. */
export function notificationRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/", async (c) => {
    const agent = assertAgent(c);
    const t = c.get("t");
    const items = await listNotifications(c.get("deps").store.db, agent.id);
    const zone = displayTimeZone(c);
    return renderPage(
      c,
      t("notifications.title"),
      <section>
        <h1>{t("notifications.title")}</h1>
        {items.length === 0 ? <p class="empty">{t("notifications.empty")}</p> : (
          <>
            <form method="post" action="/notifications/read">
              <button type="submit">{t("notifications.readAll")}</button>
            </form>
            <ul class="notifications">
              {items.map((n) => (
                <li key={n.id} class={n.readAt === null ? "unread" : ""}>
                  <a href={n.ticketNumber ? `/tickets/${n.ticketNumber}` : "#"}>{text(t, n)}</a>
                  {n.ticketSubject && <span class="muted">{n.ticketSubject}</span>}{" "}
                  <time class="muted small">
                    {formatDateTime(n.createdAt, zone, c.get("locale"))}
                  </time>
                  {n.readAt === null && (
                    <form method="post" action={`/notifications/${n.id}/read`} class="inline">
                      {" "}
                      <button type="submit" class="link">{t("notifications.read")}</button>
                    </form>
                  )}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>,
    );
  });

  app.post("/read", async (c) => {
    const agent = assertAgent(c);
    const { store } = c.get("deps");
    await store.writeTx((tx) => markNotificationsRead(tx, agent.id, Date.now()));
    return c.redirect("/notifications", 303);
  });

  app.post("/:id{[0-9]{1,15}}/read", async (c) => {
    const agent = assertAgent(c);
    const id = Number(c.req.param("id"));
    if (!Number.isSafeInteger(id)) return c.notFound();
    await c.get("deps").store.writeTx((tx) => markNotificationsRead(tx, agent.id, Date.now(), id));
    return c.redirect("/notifications", 303);
  });

  return app;
}
