/**
 * The inbox's filters that come from report figures' links (created from/to, channel, category,
 * deadline, one agent's tickets): shown as chips above the list, each with a link that drops it,
 * and carried as hidden fields by the toolbar's form so sorting keeps them.
 */
import type { MessageKey, Translate } from "../domain/i18n/mod.ts";
import { SLA_RESULTS, type SlaResult } from "../domain/report/summary.ts";

export interface ReportLinkValues {
  created_from?: string;
  created_to?: string;
  channel?: string;
  category?: string;
  due?: string;
  unresolved?: string;
  assignee?: string;
  replied_from?: string;
  replied_to?: string;
  replied_by?: string;
  reopened?: string;
  created_dow?: string;
  created_hour?: string;
  sla_result?: string;
}

const KEYS = [
  "created_from",
  "created_to",
  "channel",
  "category",
  "due",
  "unresolved",
  "replied_from",
  "replied_to",
  "replied_by",
  "reopened",
  "created_dow",
  "created_hour",
  "sla_result",
] as const;

/** Hidden inputs keeping the report-link filters when the toolbar form is sent. */
export function ReportLinkHidden({ values }: { values: ReportLinkValues }) {
  return (
    <>
      {KEYS.map((k) => values[k] && <input key={k} type="hidden" name={k} value={values[k]} />)}
    </>
  );
}

/** The active report-link filters as removable chips; nothing when none is active. */
export function ReportLinkChips(
  p: {
    t: Translate;
    values: ReportLinkValues;
    agents: { id: number; name: string }[];
    link: (over: Record<string, string>) => string;
  },
) {
  const { t, values: f } = p;
  const chips: { label: string; drop: Record<string, string> }[] = [];
  if (f.created_from || f.created_to) {
    chips.push({
      label: t("reportLinks.created", {
        from: f.created_from ?? "",
        to: f.created_to ?? "",
      }),
      drop: { created_from: "", created_to: "" },
    });
  }
  if (f.assignee && /^[0-9]+$/.test(f.assignee)) {
    const name = p.agents.find((a) => String(a.id) === f.assignee)?.name ?? `#${f.assignee}`;
    chips.push({ label: t("reportLinks.assignee", { name }), drop: { assignee: "" } });
  }
  if (f.channel) {
    chips.push({ label: t("reportLinks.channel", { channel: f.channel }), drop: { channel: "" } });
  }
  if (f.category) {
    chips.push({
      label: t("reportLinks.category", { category: f.category }),
      drop: { category: "" },
    });
  }
  if (f.due) {
    chips.push({
      label: t(f.due === "overdue" ? "reportLinks.overdue" : "reportLinks.dueToday"),
      drop: { due: "" },
    });
  }
  if (f.unresolved) {
    chips.push({ label: t("reportLinks.unresolved"), drop: { unresolved: "" } });
  }
  if (f.replied_from && f.replied_to) {
    const by = f.replied_by === "me"
      ? t("reportLinks.me")
      : f.replied_by
      ? p.agents.find((a) => String(a.id) === f.replied_by)?.name ?? `#${f.replied_by}`
      : undefined;
    chips.push({
      label: by
        ? t("reportLinks.repliedBy", { from: f.replied_from, to: f.replied_to, name: by })
        : t("reportLinks.replied", { from: f.replied_from, to: f.replied_to }),
      drop: { replied_from: "", replied_to: "", replied_by: "" },
    });
  }
  if (f.reopened) {
    chips.push({ label: t("reportLinks.reopened"), drop: { reopened: "" } });
  }
  if (f.created_dow && f.created_hour && /^[1-7]$/.test(f.created_dow)) {
    chips.push({
      label: t("reportLinks.heatCell", {
        weekday: t(`reports.weekday.${f.created_dow}` as MessageKey),
        hour: f.created_hour,
      }),
      drop: { created_dow: "", created_hour: "" },
    });
  }
  if (f.sla_result && SLA_RESULTS.includes(f.sla_result as SlaResult)) {
    chips.push({
      label: t(`reportLinks.sla.${f.sla_result as SlaResult}`),
      drop: { sla_result: "" },
    });
  }
  if (chips.length === 0) return null;
  return (
    <p class="filter-chips" aria-label={t("reportLinks.label")}>
      <span class="muted">{t("reportLinks.label")}</span>
      {chips.map((c) => (
        <span class="chip">
          {c.label}
          <a href={p.link({ ...c.drop, page: "1" })} aria-label={t("reportLinks.remove")}>×</a>
        </span>
      ))}
    </p>
  );
}
