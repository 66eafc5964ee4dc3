/** Server-side rendering glue: a page component to an HTML response. */
import type { VNode } from "preact";
import { renderToString } from "preact-render-to-string";
import type { Ctx } from "../routes/state.ts";
import { Layout } from "./Layout.tsx";
import { dateTimeFormat } from "../domain/intl_cache.ts";

/** Renders `body` inside the layout as a complete HTML document. */
export function renderPage(
  c: Ctx,
  title: string,
  body: VNode,
  status: 200 | 400 | 403 | 404 | 422 | 429 | 500 = 200,
) {
  const html = renderToString(
    <Layout
      title={title}
      t={c.get("t")}
      locale={c.get("locale")}
      agent={c.get("agent")}
      unread={c.get("unreadNotifications")}
    >
      {body}
    </Layout>,
  );
  return c.html(`<!DOCTYPE html>${html}`, status);
}

/** Formats an instant as a local date-time in the configured zone. */
export function formatDateTime(ms: number, timeZone: string, locale: string): string {
  return dateTimeFormat(locale === "en" ? "en-GB" : "ja-JP", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).format(ms);
}
