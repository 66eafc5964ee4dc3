/** GET /notifications: the agent's SLA notices and customer replies; POST to mark them read. */
import { Hono } from "hono";
import {
  listNotifications,
  markNotificationsRead,
  markTicketNotificationsRead,
  type Notification,
} from "../db/notifications.ts";
import { formatDateTime } from "../components/render.tsx";
import { renderPage } from "./render.tsx";
import { CUSTOMER_REPLIED } from "../services/notices.ts";
import { REPLY_TAKEN_OVER } from "../services/reply_lock.ts";
import { APPROVAL_APPROVED, APPROVAL_RETURNED } from "../services/approvals.ts";
import { type AppEnv, assertAgent, displayTimeZone } from "./state.ts";
import type { Translate } from "../domain/i18n/mod.ts";
import { teamNoticeText } from "../components/team_notices.ts";

function text(t: Translate, n: Notification): string {
  const team = teamNoticeText(t, n);
  if (team !== null) return team;
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

/** Notices about one ticket (or none), newest group first, each group newest first. */
interface NoticeGroup {
  ticketId: number | null;
  ticketNumber: number | null;
  ticketSubject: string | null;
  items: Notification[];
  unread: number;
}

function groupByTicket(items: Notification[]): NoticeGroup[] {
  const groups = new Map<string, NoticeGroup>();
  for (const n of items) {
    const key = n.ticketId === null ? `n${n.id}` : `t${n.ticketId}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        ticketId: n.ticketId,
        ticketNumber: n.ticketNumber,
        ticketSubject: n.ticketSubject,
        items: [],
        unread: 0,
      };
      groups.set(key, g);
    }
    g.items.push(n);
    if (n.readAt === null) g.unread++;
  }
  return [...groups.values()];
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
              {groupByTicket(items).map((g) => (
                <li key={g.ticketId ?? g.items[0].id} class={g.unread > 0 ? "unread" : ""}>
                  <div class="notice-head">
                    <a href={g.ticketNumber ? `/tickets/${g.ticketNumber}` : "#"}>
                      {g.ticketNumber ? `#${g.ticketNumber}` : ""} {g.ticketSubject ?? ""}
                    </a>
                    {g.unread > 0 && <span class="unread-badge">{g.unread}</span>}
                    {g.unread > 0 && g.ticketId !== null && (
                      <form
                        method="post"
                        action={`/notifications/tickets/${g.ticketId}/read`}
                        class="inline"
                      >
                        {" "}
                        <button type="submit" class="link">{t("notifications.read")}</button>
                      </form>
                    )}
                  </div>
                  <ul class="notice-items">
                    {g.items.map((n) => (
                      <li key={n.id} class={n.readAt === null ? "unread" : ""}>
                        {text(t, n)}{" "}
                        <time class="muted small">
                          {formatDateTime(n.createdAt, zone, c.get("locale"))}
                        </time>
                      </li>
                    ))}
                  </ul>
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

  app.post("/tickets/:ticketId{[0-9]{1,15}}/read", async (c) => {
    const agent = assertAgent(c);
    const ticketId = Number(c.req.param("ticketId"));
    await c.get("deps").store.writeTx((tx) =>
      markTicketNotificationsRead(tx, agent.id, ticketId, Date.now())
    );
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
