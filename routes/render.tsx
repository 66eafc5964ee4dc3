/**
 * Server-side rendering glue: a page component to an HTML response, inside the agents' layout or
 * the customers' layout.
 */
import type { VNode } from "preact";
import { renderToString } from "preact-render-to-string";
import type { Ctx } from "./state.ts";
import { htmlResponse } from "./middleware/compress.ts";
import { Layout } from "../components/Layout.tsx";
import { CustomerLayout, type CustomerStatus } from "../components/CustomerLayout.tsx";

/** Renders `body` inside the layout as a complete HTML document. */
export function renderPage(
  c: Ctx,
  title: string,
  body: VNode,
  status: 200 | 400 | 403 | 404 | 409 | 413 | 422 | 429 | 500 = 200,
) {
  const html = renderToString(
    <Layout
      title={title}
      t={c.get("t")}
      locale={c.get("locale")}
      agent={c.get("agent")}
      unread={c.get("unreadNotifications")}
      flash={c.get("flash") && c.get("t")(c.get("flash")!)}
    >
      {body}
    </Layout>,
  );
  return htmlResponse(c, `<!DOCTYPE html>${html}`, status);
}

/**
 * Renders a customer page. Private pages (reached by a secret link) are never cached and never
 * send a Referer (the app-wide policy is same-origin; these say none, in the document, because
 * the secure-headers middleware sets the header after us), so the link leaks neither from a
 * shared computer's cache nor to another site.
 */
export function renderCustomerPage(
  c: Ctx,
  title: string,
  body: VNode,
  options: { status?: CustomerStatus; private?: boolean; indexable?: boolean } = {},
) {
  const t = c.get("t");
  const html = renderToString(
    <CustomerLayout
      title={title}
      t={t}
      locale={c.get("locale")}
      brand={c.get("deps").config.fromName}
      secret={options.private}
      indexable={options.indexable && !options.private && (options.status ?? 200) === 200}
    >
      {body}
    </CustomerLayout>,
  );
  c.header("cache-control", options.private ? "private, no-store" : "no-cache");
  return htmlResponse(c, `<!DOCTYPE html>${html}`, options.status ?? 200);
}
