/** The ticket page's SLA box: priority and department forms, and each SLA clock. */
import type { ClockView, TicketSlaView } from "../db/sla_view.ts";
import { PRIORITIES } from "../domain/priority.ts";
import { formatBusinessDuration, type SlaTranslate } from "./i18n_sla.ts";
import { formatDateTime } from "./render.tsx";

export interface SlaPanelProps {
  st: SlaTranslate;
  ticketNumber: number;
  view: TicketSlaView;
  departments: { id: number; name: string }[];
  timeZone: string;
  locale: string;
}

/** Priority, department and the running, met or paused SLA clocks of one ticket. */
export function SlaPanel({ st, ticketNumber, view, departments, timeZone, locale }: SlaPanelProps) {
  const shown = view.clocks.filter((c) => c.state !== "idle");
  return (
    <aside class="sla-panel" aria-label={st("clock.title")}>
      <form method="post" action={`/tickets/${ticketNumber}/priority`} class="inline">
        <label class="inline">
          {st("ticket.priority")}{" "}
          <select name="priority">
            {PRIORITIES.map((p) => (
              <option key={p} value={p} selected={p === view.priority}>
                {st(`priority.${p}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{st("ticket.changePriority")}</button>
      </form>{" "}
      <form method="post" action={`/tickets/${ticketNumber}/department`} class="inline">
        <label class="inline">
          {st("ticket.department")}{" "}
          <select name="department">
            {departments.map((d) => (
              <option key={d.id} value={d.id} selected={d.id === view.departmentId}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{st("ticket.move")}</button>
      </form>
      {!view.hasPolicy ? <p class="muted small">{st("clock.none")}</p> : (
        <ul class="sla-clocks">
          {shown.map((c) => (
            <li key={c.metric} class={c.state === "running" ? `sla-${c.tone}` : ""}>
              <strong>{st(`metric.${c.metric}`)}</strong>: {describe(st, c, timeZone, locale)}
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}

function describe(st: SlaTranslate, c: ClockView, timeZone: string, locale: string): string {
  switch (c.state) {
    case "running": {
      if (c.dueAt === null || c.remainingMs === null) return st("clock.neverOpens");
      const left = c.remainingMs > 0
        ? st("clock.dueIn", { d: formatBusinessDuration(st, c.remainingMs) })
        : st("clock.overdue", { d: formatBusinessDuration(st, c.remainingMs) });
      return `${left} · ${st("clock.due", { at: formatDateTime(c.dueAt, timeZone, locale) })}`;
    }
    case "met":
      return st("clock.met", { at: formatDateTime(c.at, timeZone, locale) });
    case "paused":
    case "stopped": {
      const used = st("clock.used", {
        used: formatBusinessDuration(st, c.usedMs),
        target: formatBusinessDuration(st, c.targetMinutes * 60_000),
      });
      return `${st(c.state === "paused" ? "clock.paused" : "clock.stopped")} · ${used}`;
    }
    default:
      return "";
  }
}

/** The inbox cell: "期限まで 1時間20分 (営業時間)" or "期限超過 …", empty when no clock runs. */
export function SlaCell(
  { st, remainingMs, paused }: { st: SlaTranslate; remainingMs: number | null; paused: boolean },
) {
  if (remainingMs === null) return <span class="muted">{paused ? st("clock.paused") : ""}</span>;
  return (
    <span>
      {remainingMs > 0
        ? st("clock.dueIn", { d: formatBusinessDuration(st, remainingMs) })
        : st("clock.overdue", { d: formatBusinessDuration(st, remainingMs) })}
    </span>
  );
}
