/**
 * Scheduled report mail on the reports page: the supervisor's subscriptions (each with its
 * filters and a button that ends it) and a form that subscribes to the report shown, with its
 * filters, daily, weekly or monthly at a chosen hour. Plain forms: no JavaScript needed.
 */
import type { MessageKey, Translate } from "../domain/i18n/mod.ts";
import type { ReportSubscription } from "../db/report_subscriptions.ts";
import { REPORT_FREQUENCIES } from "../domain/report/schedule.ts";
import type { ReportParams } from "./ReportsPage.tsx";

export interface ReportSubscriptionsProps {
  t: Translate;
  subscriptions: ReportSubscription[];
  /** The report page's query (kept when the forms come back here). */
  query: string;
  params: ReportParams;
  departments: { id: number; name: string }[];
  agents: { id: number; name: string }[];
  tags: { id: number; name: string }[];
}

export function ReportSubscriptions(p: ReportSubscriptionsProps) {
  const { t } = p;
  const describe = (s: ReportSubscription) => {
    const parts: string[] = [];
    const f = s.filter;
    if (f.departmentId !== undefined) {
      parts.push(p.departments.find((d) => d.id === f.departmentId)?.name ?? `#${f.departmentId}`);
    }
    if (f.agentId !== undefined) {
      parts.push(p.agents.find((a) => a.id === f.agentId)?.name ?? `#${f.agentId}`);
    }
    if (f.channel) parts.push(f.channel);
    if (f.tagId !== undefined) {
      parts.push(p.tags.find((g) => g.id === f.tagId)?.name ?? `#${f.tagId}`);
    }
    if (f.category) parts.push(f.category);
    return parts.length ? parts.join(" · ") : t("reports.all");
  };
  const back = p.query ? `?${p.query}` : "";
  const hidden: [string, string | number | undefined][] = [
    ["department_id", p.params.department_id],
    ["agent_id", p.params.agent_id],
    ["channel", p.params.channel],
    ["tag", p.params.tag],
    ["category", p.params.category],
  ];
  return (
    <section class="subscriptions" id="subscriptions">
      <h2>{t("reportSubs.title")}</h2>
      <p class="muted">{t("reportSubs.help")}</p>
      {p.subscriptions.length > 0 && (
        <table class="numbers subscriptions-list">
          <thead>
            <tr>
              <th scope="col">{t("reportSubs.frequency")}</th>
              <th scope="col">{t("reportSubs.hour")}</th>
              <th scope="col">{t("reportSubs.filters")}</th>
              <th scope="col"></th>
            </tr>
          </thead>
          <tbody>
            {p.subscriptions.map((s) => (
              <tr>
                <th scope="row">{t(`reportMail.kind.${s.frequency}` as MessageKey)}</th>
                <td>{`${String(s.sendHour).padStart(2, "0")}:00`}</td>
                <td class="text">{describe(s)}</td>
                <td>
                  <form
                    method="post"
                    action={`/reports/subscriptions/${s.id}/delete${back}`}
                    class="inline"
                  >
                    <button type="submit" class="link">{t("reportSubs.stop")}</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form method="post" action={`/reports/subscriptions${back}`} class="report-filters">
        {hidden.map(([k, v]) =>
          v !== undefined && v !== "" && <input key={k} type="hidden" name={k} value={String(v)} />
        )}
        <label>
          {t("reportSubs.frequency")}
          <select name="frequency">
            {REPORT_FREQUENCIES.map((f) => (
              <option value={f} selected={f === "weekly"}>
                {t(`reportSubs.when.${f}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("reportSubs.hour")}
          <select name="send_hour">
            {Array.from(
              { length: 24 },
              (_, h) => (
                <option value={h} selected={h === 8}>{`${String(h).padStart(2, "0")}:00`}</option>
              ),
            )}
          </select>
        </label>
        <button type="submit">{t("reportSubs.subscribe")}</button>
      </form>
    </section>
  );
}
