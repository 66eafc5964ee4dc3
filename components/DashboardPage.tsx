/** The dashboard: open work now, today's deadlines and traffic, each agent's load. */
import type { MessageKey, Translate } from "../domain/i18n/mod.ts";
import type { Dashboard } from "../services/reports.ts";
import { BarList } from "./charts/BarList.tsx";
import { type FigureLink, inboxLink } from "../domain/report/links.ts";

export interface DashboardPageProps {
  t: Translate;
  data: Dashboard;
  departments: { id: number; name: string }[];
  agents: { id: number; name: string }[];
}

const OPEN = ["new", "open", "pending"] as const;

export function DashboardPage(p: DashboardPageProps) {
  const { t, data } = p;
  const departmentName = (id: number) => p.departments.find((d) => d.id === id)?.name ?? `#${id}`;
  const agentName = (id: number | null) =>
    id === null ? t("dashboard.unassigned") : p.agents.find((a) => a.id === id)?.name ?? `#${id}`;
  const departmentIds = [...new Set(data.open.map((o) => o.departmentId))];
  const count = (status: string, dept: number) =>
    data.open.find((o) => o.status === status && o.departmentId === dept)?.count ?? 0;
  // Each figure links to its tickets; an agent's dashboard counts their own.
  const mine: FigureLink = data.team ? {} : { assignee: "me" };
  const today = { from: data.today.date, to: data.today.date };
  return (
    <div class="dashboard" data-live-dashboard>
      <h1>{t("dashboard.title")}</h1>
      {!data.team && <p class="muted">{t("dashboard.mine")}</p>}
      <div class="kpis">
        <div class="kpi">
          <span class="kpi-label">{t("dashboard.receivedToday")}</span>
          <a class="kpi-value" href={inboxLink({ ...mine, created: today })}>
            {data.today.received}
          </a>
        </div>
        <div class="kpi">
          <span class="kpi-label">{t("dashboard.repliedToday")}</span>
          <a
            class="kpi-value"
            href={inboxLink({ replied: today, repliedBy: data.team ? undefined : "me" })}
          >
            {data.today.replied}
          </a>
        </div>
        <div class="kpi">
          <span class="kpi-label">{t("dashboard.dueToday")}</span>
          <a class="kpi-value" href={inboxLink({ ...mine, due: "today" })}>{data.dueToday}</a>
        </div>
        {data.team && (
          <div class="kpi">
            <span class="kpi-label">{t("team.view.unassigned")}</span>
            <a class="kpi-value" href={inboxLink({ assignee: "none", unresolved: true })}>
              {data.load.find((l) => l.agentId === null)?.count ?? 0}
            </a>
          </div>
        )}
        <div class={`kpi${data.breached > 0 ? " kpi-alert" : ""}`}>
          <span class="kpi-label">{t("dashboard.breached")}</span>
          <a class="kpi-value" href={inboxLink({ ...mine, due: "overdue" })}>{data.breached}</a>
        </div>
      </div>
      {data.team && (
        <section>
          <h2>{t("dashboard.open")}</h2>
          {departmentIds.length === 0
            ? <p class="empty">{t("dashboard.nothingOpen")}</p>
            : (
              <table class="numbers">
                <thead>
                  <tr>
                    <th scope="col">{t("reports.department")}</th>
                    {OPEN.map((s) => (
                      <th scope="col">
                        <a href={`/?status=${s}`}>{t(`status.${s}` as MessageKey)}</a>
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {departmentIds.map((id) => (
                    <tr>
                      <th scope="row">{departmentName(id)}</th>
                      {OPEN.map((s) => (
                        <td key={s} class="num">
                          <a href={inboxLink({ status: s, departmentId: id })}>{count(s, id)}</a>
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
        </section>
      )}
      <section>
        <h2>{t("dashboard.load")}</h2>
        <BarList
          caption={t("dashboard.load")}
          headers={[t("reports.agent"), t("reports.tickets"), ""]}
          empty={t("dashboard.nothingOpen")}
          rows={data.load.map((l) => ({
            label: agentName(l.agentId),
            value: l.count,
            href: inboxLink({ ...mine, assignee: l.agentId ?? "none", unresolved: true }),
          }))}
        />
      </section>
    </div>
  );
}
