/**
 * GET /tickets/:number/messages/after/:version — the messages a live ticket page has not shown
 * yet, rendered by the server exactly as the page renders them, each marked 新着. The ticket page's
 * live script (islands/live_thread.ts) fetches it when a ticket event says the version moved, and
 * inserts the fragment at the end of the conversation. `X-Ticket-Version` is the version the
 * fragment brings the page up to. An empty body: the change was not a message (status, tags…).
 */
import { renderToString } from "preact-render-to-string";
import { listMessages, PAGE_BODY_BUDGET } from "../db/messages.ts";
import { messagesSinceVersion, ticketVersion } from "../db/ticket_versions.ts";
import { MessageView } from "../components/MessageView.tsx";
import { NewMark } from "../components/StaleNotice.tsx";
import { UndoSend } from "../components/SendDelayForm.tsx";
import { withShownHtml } from "./message_html.ts";
import { ticketParam } from "./params.ts";
import { assertAgent, type Ctx, displayTimeZone, nowOf } from "./state.ts";

/** The most messages one fragment carries (a page that far behind reloads instead). */
const MAX_FRAGMENT = 50;

/** Renders the messages after `:version`; 404 for a ticket the agent cannot see. */
export async function messagesAfter(c: Ctx): Promise<Response> {
  const ticket = await ticketParam(c);
  if (!ticket) return c.notFound();
  const me = assertAgent(c);
  const after = Number(c.req.param("version"));
  const { store } = c.get("deps");
  const [since, version] = await Promise.all([
    messagesSinceVersion(store.db, ticket.id, after),
    ticketVersion(store.db, ticket.id),
  ]);
  c.header("X-Ticket-Version", String(version ?? ticket.version));
  c.header("Cache-Control", "no-store");
  if (since.length === 0) return c.body(null, 204);
  if (since.length > MAX_FRAGMENT) return c.body(null, 409);
  const ids = new Set(since.map((m) => m.id));
  const messages = withShownHtml(
    store,
    (await listMessages(store.db, ticket.id, { bodyBudget: PAGE_BODY_BUDGET }))
      .filter((m) => ids.has(m.id)),
  );
  const t = c.get("t");
  const locale = c.get("locale");
  const timeZone = displayTimeZone(c);
  const now = nowOf(c);
  const html = renderToString(
    <>
      {messages.map((m) => (
        <div class="live-message" data-message={m.id}>
          <NewMark t={t} />
          <MessageView
            message={m}
            t={t}
            locale={locale}
            timeZone={timeZone}
            ticketNumber={ticket.number}
          />
          {m.direction === "out" && m.agentId === me.id && m.delivery?.status === "queued" &&
            m.delivery.attempts === 0 && m.delivery.nextAttemptAt > now && (
            <UndoSend
              t={t}
              ticketNumber={ticket.number}
              messageId={m.id}
              dueAt={m.delivery.nextAttemptAt}
              now={now}
              timeZone={timeZone}
              locale={locale}
            />
          )}
        </div>
      ))}
    </>,
  );
  return c.html(html);
}
