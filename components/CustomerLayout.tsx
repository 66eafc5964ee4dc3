/**
 * The frame of every page customers see: no scripts at all (0 KB of JavaScript, so the inquiry
 * form, the customer page and the status check work with JavaScript off), no agent navigation.
 */
import type { ComponentChildren, VNode } from "preact";
import { renderToString } from "preact-render-to-string";
import type { Ctx } from "../routes/state.ts";
import type { Locale, Translate } from "../domain/i18n/mod.ts";

export interface CustomerLayoutProps {
  title: string;
  t: Translate;
  locale: Locale;
  /** The name customers know us by (MADOGUCHI_FROM_NAME). */
  brand: string;
  /** A page reached by a secret link: it sends no Referer at all. */
  secret?: boolean;
  children: ComponentChildren;
}

/** Head, a plain header with the brand, and the content. */
export function CustomerLayout(
  { title, t, locale, brand, secret, children }: CustomerLayoutProps,
) {
  return (
    <html lang={locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        {secret && <meta name="referrer" content="no-referrer" />}
        <title>{`${title} · ${brand}`}</title>
        <link rel="stylesheet" href="/static/app.css" />
        <link rel="stylesheet" href="/static/customer.css" />
      </head>
      <body class="customer">
        <header class="topbar">
          <span class="brand">{brand}</span>
          <nav>
            <a href="/status">{t("portal.nav.status")}</a>
          </nav>
        </header>
        <main class="customer-main">{children}</main>
      </body>
    </html>
  );
}

export type CustomerStatus = 200 | 404 | 410 | 413 | 422 | 429;

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
  options: { status?: CustomerStatus; private?: boolean } = {},
) {
  const t = c.get("t");
  const html = renderToString(
    <CustomerLayout
      title={title}
      t={t}
      locale={c.get("locale")}
      brand={c.get("deps").config.fromName}
      secret={options.private}
    >
      {body}
    </CustomerLayout>,
  );
  c.header("cache-control", options.private ? "private, no-store" : "no-cache");
  return c.html(`<!DOCTYPE html>${html}`, options.status ?? 200);
}

/** A short page that explains a dead end and offers the way on. */
export function CustomerMessage(
  p: { title: string; text: string; link?: { href: string; label: string } },
) {
  return (
    <section class="card customer-card">
      <h1>{p.title}</h1>
      <p>{p.text}</p>
      {p.link && (
        <p>
          <a href={p.link.href}>{p.link.label}</a>
        </p>
      )}
    </section>
  );
}
