/** The ticket page's SLA box: priority and department forms, and each SLA clock. */
import type { VNode } from "preact";
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

export interface SlaParts {
  priority: VNode;
  department: VNode;
  clocks: VNode;
}

/** Priority and department as compact forms, and the running, met or paused SLA clocks. */
export function slaParts(
  { t, ticketNumber, view, departments, timeZone, locale }: SlaPanelProps,
): SlaParts {
  const shown = view.clocks.filter((c) => c.state !== "idle");
  return {
    priority: (
      <form method="post" action={`/tickets/${ticketNumber}/priority`} class="prop">
        <label for="prop-priority">{t("ticket.priority")}</label>
        <select name="priority" id="prop-priority">
          {PRIORITIES.map((p) => (
            <option key={p} value={p} selected={p === view.priority}>{t(`priority.${p}`)}</option>
          ))}
        </select>
        <button type="submit">{t("workspace.set")}</button>
      </form>
    ),
    department: (
      <form method="post" action={`/tickets/${ticketNumber}/department`} class="prop">
        <label for="prop-department">{t("ticket.department")}</label>
        <select name="department" id="prop-department">
          {departments.map((d) => (
            <option key={d.id} value={d.id} selected={d.id === view.departmentId}>
              {d.name}
            </option>
          ))}
        </select>
        <button type="submit">{t("workspace.set")}</button>
      </form>
    ),
    clocks: !view.hasPolicy ? <p class="muted small">{t("clock.none")}</p> : (
      <ul class="sla-clocks">
        {shown.map((c) => (
          <li key={c.metric} class={c.state === "running" ? `sla-${c.tone}` : ""}>
            <strong>{t(`metric.${c.metric}`)}</strong>: {describe(t, c, timeZone, locale)}
          </li>
        ))}
      </ul>
    ),
  };
}

function describe(t: Translate, c: ClockView, timeZone: string, locale: string): string {
  switch (c.state) {
    case "running": {
      if (c.dueAt === null || c.remainingMs === null) return t("clock.neverOpens");
      const left = timeLeft(t, c.remainingMs, c.businessHours);
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

/**
 * "期限まで 1時間20分 (営業時間)" / "期限超過 15分": business time only when the department keeps
 * business hours. A deadline passed while closed has no business time overdue yet: it reads
 * "期限超過" alone (the due time is on the row's title and the ticket page), never "0分".
 */
export function timeLeft(t: Translate, remainingMs: number, businessHours: boolean): string {
  const suffix = businessHours ? ` ${t("clock.businessTime")}` : "";
  if (remainingMs > 0) {
    return t("clock.dueIn", { d: formatBusinessDuration(t, remainingMs) }) + suffix;
  }
  if (remainingMs > -60_000) return t("clock.overdueNow");
  return t("clock.overdue", { d: formatBusinessDuration(t, remainingMs) }) + suffix;
}

/** The inbox cell: the time left, or "停止中" when the clock is paused; empty when none runs. */
export function SlaCell(
  { t, remainingMs, paused, businessHours, dueLabel }: {
    t: Translate;
    remainingMs: number | null;
    paused: boolean;
    businessHours: boolean;
    /** The deadline written out, shown on hover. */
    dueLabel?: string;
  },
) {
  if (remainingMs === null) return <span class="muted">{paused ? t("clock.paused") : ""}</span>;
  return <span title={dueLabel}>{timeLeft(t, remainingMs, businessHours)}</span>;
}
