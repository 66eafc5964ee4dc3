/**
 * The frame of every page customers see: no scripts at all (0 KB of JavaScript, so the inquiry
 * form, the customer page and the status check work with JavaScript off), no agent navigation.
 */
import type { ComponentChildren } from "preact";
import type { Locale, Translate } from "../domain/i18n/mod.ts";

export interface CustomerLayoutProps {
  title: string;
  t: Translate;
  locale: Locale;
  /** The name customers know us by (MADOGUCHI_FROM_NAME). */
  brand: string;
  /** A page reached by a secret link: it sends no Referer at all. */
  secret?: boolean;
  /** A public page search engines may list (published FAQ pages); every other one is noindex. */
  indexable?: boolean;
  children: ComponentChildren;
}

/** Head, a plain header with the brand, and the content. */
export function CustomerLayout(
  { title, t, locale, brand, secret, indexable, children }: CustomerLayoutProps,
) {
  return (
    <html lang={locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {!indexable && <meta name="robots" content="noindex" />}
        {secret && <meta name="referrer" content="no-referrer" />}
        <title>{`${title} · ${brand}`}</title>
        <link rel="stylesheet" href="/static/app.css" />
        <link rel="stylesheet" href="/static/customer.css" />
      </head>
      <body class="customer">
        <header class="topbar">
          <span class="brand">{brand}</span>
          <nav>
            <a href="/faq">{t("nav.faq")}</a>
            <a href="/status">{t("portal.nav.status")}</a>
          </nav>
        </header>
        <main class="customer-main">{children}</main>
      </body>
    </html>
  );
}

export type CustomerStatus = 200 | 404 | 410 | 413 | 422 | 429;

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
