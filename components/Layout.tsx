import type { ComponentChildren } from "preact";
import type { Agent } from "../db/agents.ts";
import type { Locale, Translate } from "../domain/i18n/mod.ts";
import { Island } from "./Island.tsx";
import { Shortcuts } from "../islands/Shortcuts.tsx";

export interface LayoutProps {
  title: string;
  t: Translate;
  locale: Locale;
  agent: Agent | null;
  /** Unread notifications, shown as a badge. */
  unread?: number;
  /** A one-line confirmation of the action that led here. */
  flash?: string;
  children: ComponentChildren;
}

/** The page frame: head, top bar with navigation for a logged-in agent, main content. */
export function Layout({ title, t, locale, agent, unread, flash, children }: LayoutProps) {
  return (
    <html lang={locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${t("app.name")}`}</title>
        <link rel="stylesheet" href="/static/app.css" />
        <link rel="stylesheet" href="/static/workspace.css" />
        <script type="module" src="/static/islands/main.js"></script>
      </head>
      <body>
        <header class="topbar">
          <a class="brand" href="/">{t("app.name")}</a>
          {agent && (
            <nav>
              <a href="/">{t("nav.inbox")}</a>
              <a href="/templates">{t("nav.templates")}</a>
              <a href="/articles">{t("nav.faq")}</a>
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
        <main>
          {flash && <p class="flash" role="status">{flash}</p>}
          {children}
        </main>
        {agent && (
          <Island
            name="Shortcuts"
            component={Shortcuts}
            props={{
              title: t("shortcuts.title"),
              close: t("shortcuts.close"),
              help: [
                ["j / k", t("shortcuts.next")],
                ["Enter", t("shortcuts.open")],
                ["/", t("shortcuts.search")],
                ["r", t("shortcuts.reply")],
                ["n", t("shortcuts.note")],
                ["a", t("shortcuts.assignMe")],
                ["e", t("shortcuts.resolve")],
                ["?", t("shortcuts.help")],
              ] as [string, string][],
            }}
          />
        )}
      </body>
    </html>
  );
}
