/** The admin home, /admin: every admin section with what it is for. */
import type { Translate } from "../domain/i18n/mod.ts";

export interface AdminIndexProps {
  t: Translate;
}

/** Every admin page, in the order an administrator sets things up. */
const SECTIONS = [
  { href: "/admin/agents", label: "team.agents.title", text: "team.agents.about" },
  { href: "/admin/tags", label: "team.tags.title", text: "team.tags.about" },
  { href: "/admin/assignment", label: "team.dept.title", text: "team.dept.about" },
  { href: "/admin/routing", label: "routing.title", text: "routing.about" },
  { href: "/admin/departments", label: "nav.departments", text: "admin.departments" },
  { href: "/admin/approval", label: "approvalAdmin.title", text: "approvalAdmin.about" },
  { href: "/admin/schedules", label: "nav.schedules", text: "admin.schedules" },
  { href: "/admin/sla", label: "nav.sla", text: "admin.sla" },
  { href: "/admin/reminders", label: "nav.reminders", text: "admin.reminders" },
  { href: "/admin/after-hours", label: "nav.afterHours", text: "admin.afterHours" },
  { href: "/admin/spam", label: "nav.spam", text: "admin.spam" },
  { href: "/admin/quarantine", label: "nav.quarantine", text: "admin.quarantine" },
  { href: "/admin/import", label: "nav.import", text: "admin.import" },
  { href: "/admin/imap", label: "nav.imap", text: "admin.imap" },
] as const;

/** The list of admin sections. */
export function AdminIndex({ t }: AdminIndexProps) {
  return (
    <section>
      <h1>{t("admin.title")}</h1>
      <ul class="admin-sections">
        {SECTIONS.map((s) => (
          <li key={s.href} class="card">
            <a href={s.href}>{t(s.label)}</a>
            <p class="muted">{t(s.text)}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
