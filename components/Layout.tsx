import type { ComponentChildren } from "preact";
import type { Agent } from "../db/agents.ts";
import type { Locale, Translate } from "../domain/i18n/mod.ts";

export interface LayoutProps {
  title: string;
  t: Translate;
  locale: Locale;
  agent: Agent | null;
  /** Unread notifications, shown as a badge. */
  unread?: number;
  children: ComponentChildren;
}

/** The page frame: head, top bar with navigation for a logged-in agent, main content. */
export function Layout({ title, t, locale, agent, unread, children }: LayoutProps) {
  return (
    <html lang={locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${t("app.name")}`}</title>
        <link rel="stylesheet" href="/static/app.css" />
        <script type="module" src="/static/islands/main.js"></script>
      </head>
      <body>
        <header class="topbar">
          <a class="brand" href="/">{t("app.name")}</a>
          {agent && (
            <nav>
              <a href="/">{t("nav.inbox")}</a>
              <a href="/dashboard">{t("nav.dashboard")}</a>
              <a href="/reports">{t("nav.reports")}</a>
              {agent.role === "admin" && <a href="/admin">{t("nav.admin")}</a>}
              <a href="/notifications">
                {t("nav.notifications")}
                {unread ? <span class="unread-badge">{unread}</span> : null}
              </a>
              <a href="/settings/tokens">{t("nav.tokens")}</a>
              <a class="who" href="/settings/profile" title={t("nav.profile")}>{agent.name}</a>
              <form method="post" action="/logout" class="inline">
                <button type="submit" class="link">{t("nav.logout")}</button>
              </form>
            </nav>
          )}
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
