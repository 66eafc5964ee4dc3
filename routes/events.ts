/**
 * The live stream (Server-Sent Events): GET /events for agent pages (session cookie), GET
 * /api/v1/events for integrations (bearer/basic). One stream per page carries the inbox's
 * changed rows and counts, the agent's notification badge, and presence on every ticket (the
 * open ticket's page filters by number). `Last-Event-ID` (or `?last_event_id=`) replays what a
 * reconnecting client missed; a comment line every ~20 s keeps proxies from closing the stream.
 * Never compressed (routes/middleware/compress.ts): a compressor would hold events back.
 */
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { countUnreadNotifications } from "../db/notifications.ts";
import { countByStatus } from "../db/ticket_list.ts";
import type { LiveEvent } from "../services/live.ts";
import { type AppEnv, assertAgent, type Ctx } from "./state.ts";

/** How often an idle stream sends a comment line (proxies close silent connections at ~60 s). */
export const HEARTBEAT_MS = 20_000;

/** Streams live events to the signed-in agent until they leave or the hub closes. */
export function liveStream(c: Ctx): Response {
  const agent = assertAgent(c);
  const live = c.get("live");
  const { db } = c.get("deps").store;
  const heartbeatMs = c.get("deps").liveHeartbeatMs ?? HEARTBEAT_MS;
  const lastEventId = c.req.header("last-event-id") ?? c.req.query("last_event_id") ?? null;
  c.header("X-Accel-Buffering", "no");
  return streamSSE(c, async (stream) => {
    const queue: LiveEvent[] = [];
    let closed = false;
    let wake: (() => void) | null = null;
    const poke = () => {
      wake?.();
      wake = null;
    };
    const sub = await live.subscribe({
      onEvent: (e) => (queue.push(e), poke()),
      onClose: () => (closed = true, poke()),
    }, lastEventId);
    stream.onAbort(() => {
      closed = true;
      poke();
    });
    const restrictedTo = agent.departmentIds ?? null;
    async function restrict(e: LiveEvent, departments: readonly number[]) {
      if (e.type === "counts") return await countByStatus(db, departments);
      const d = e.data.department_id;
      return typeof d === "number" && !departments.includes(d) ? null : e.data;
    }
    let badge = -1;
    async function sendBadge() {
      const n = await countUnreadNotifications(db, agent.id);
      if (n === badge) return;
      badge = n;
      await stream.writeSSE({ event: "badge", data: JSON.stringify({ unread: n }) });
    }
    try {
      await stream.writeSSE({
        event: "hello",
        data: JSON.stringify({ agent: agent.id }),
        retry: 3000,
      });
      if (sub.missed === "reset") await stream.writeSSE({ event: "reset", data: "{}" });
      else queue.unshift(...sub.missed);
      await sendBadge();
      while (!closed) {
        if (queue.length === 0) {
          const beat = await new Promise<boolean>((resolve) => {
            const timer = setTimeout(() => resolve(true), heartbeatMs);
            wake = () => (clearTimeout(timer), resolve(false));
          });
          if (closed) break;
          if (beat) await stream.write(": heartbeat\n\n");
          continue;
        }
        let ticketChanged = false;
        for (const e of queue.splice(0)) {
          // A restricted agent hears only of their departments' tickets, and counts of those.
          const data = restrictedTo ? await restrict(e, restrictedTo) : e.data;
          if (data === null) continue;
          ticketChanged ||= e.type === "ticket";
          await stream.writeSSE({ id: e.id, event: e.type, data: JSON.stringify(data) });
        }
        // Notifications come with ticket changes (a customer reply, an SLA notice, a take-over).
        if (ticketChanged) await sendBadge();
      }
    } finally {
      sub.unsubscribe();
    }
  });
}

/** GET /events (web) — mounted after the session check. */
export function eventRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/", (c) => liveStream(c));
  return app;
}
