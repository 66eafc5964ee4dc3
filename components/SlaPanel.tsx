/** The ticket page's SLA box: priority and department forms, and each SLA clock. */
import type { ClockView, TicketSlaView } from "../db/sla_view.ts";
import { PRIORITIES } from "../domain/priority.ts";
import { formatBusinessDuration, type Translate } from "../domain/i18n/mod.ts";
import { formatDateTime } from "./render.tsx";

export interface SlaPanelProps {
  t: Translate;
  ticketNumber: number;
  view: TicketSlaView;
  departments: { id: number; name: string }[];
  timeZone: string;
  locale: string;
}

/** Priority, department and the running, met or paused SLA clocks of one ticket. */
export function SlaPanel({ t, ticketNumber, view, departments, timeZone, locale }: SlaPanelProps) {
  const shown = view.clocks.filter((c) => c.state !== "idle");
  return (
    <aside class="sla-panel" aria-label={t("clock.title")}>
      <form method="post" action={`/tickets/${ticketNumber}/priority`} class="inline">
        <label class="inline">
          {t("ticket.priority")}{" "}
          <select name="priority">
            {PRIORITIES.map((p) => (
              <option key={p} value={p} selected={p === view.priority}>
                {t(`priority.${p}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t("ticket.changePriority")}</button>
      </form>{" "}
      <form method="post" action={`/tickets/${ticketNumber}/department`} class="inline">
        <label class="inline">
          {t("ticket.department")}{" "}
          <select name="department">
            {departments.map((d) => (
              <option key={d.id} value={d.id} selected={d.id === view.departmentId}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t("ticket.move")}</button>
      </form>
      {!view.hasPolicy ? <p class="muted small">{t("clock.none")}</p> : (
        <ul class="sla-clocks">
          {shown.map((c) => (
            <li key={c.metric} class={c.state === "running" ? `sla-${c.tone}` : ""}>
              <strong>{t(`metric.${c.metric}`)}</strong>: {describe(t, c, timeZone, locale)}
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}

function describe(t: Translate, c: ClockView, timeZone: string, locale: string): string {
  switch (c.state) {
    case "running": {
      if (c.dueAt === null || c.remainingMs === null) return t("clock.neverOpens");
      const left = c.remainingMs > 0
        ? t("clock.dueIn", { d: formatBusinessDuration(t, c.remainingMs) })
        : t("clock.overdue", { d: formatBusinessDuration(t, c.remainingMs) });
      return `${left} · ${t("clock.due", { at: formatDateTime(c.dueAt, timeZone, locale) })}`;
    }
    case "met":
      return t("clock.met", { at: formatDateTime(c.at, timeZone, locale) });
    case "paused":
    case "stopped": {
      const used = t("clock.used", {
        used: formatBusinessDuration(t, c.usedMs),
        target: formatBusinessDuration(t, c.targetMinutes * 60_000),
      });
      return `${t(c.state === "paused" ? "clock.paused" : "clock.stopped")} · ${used}`;
    }
    default:
      return "";
  }
}

/** The inbox cell: "期限まで 1時間20分 (営業時間)" or "期限超過 …", empty when no clock runs. */
export function SlaCell(
  { t, remainingMs, paused }: { t: Translate; remainingMs: number | null; paused: boolean },
) {
  if (remainingMs === null) return <span class="muted">{paused ? t("clock.paused") : ""}</span>;
  return (
    <span>
      {remainingMs > 0
        ? t("clock.dueIn", { d: formatBusinessDuration(t, remainingMs) })
        : t("clock.overdue", { d: formatBusinessDuration(t, remainingMs) })}
    </span>
  );
}
