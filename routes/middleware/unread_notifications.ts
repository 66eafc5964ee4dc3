/** Counts the agent's unread notifications for the badge in the top bar. */
import type { MiddlewareHandler } from "hono";
import { countUnreadNotifications } from "../../db/notifications.ts";
import type { AppEnv } from "../state.ts";

/** Sets `unreadNotifications` for a logged-in agent (one indexed count per page). */
export function unreadNotifications(): MiddlewareHandler<AppEnv> {
  return async function unreadNotificationCount(c, next) {
    const agent = c.get("agent");
    if (agent && c.req.method === "GET") {
      const { store } = c.get("deps");
      // Kept while nothing is committed (db/read_memo.ts): a new notice or a read one commits.
      c.set(
        "unreadNotifications",
        await store.memo(
          `unread-notifications\n${agent.id}`,
          () => countUnreadNotifications(store.db, agent.id),
        ),
      );
    }
    await next();
  };
}
