/** The inbox's team filters: department, tag, priority and SLA state (the toolbar's GET form). */
import type { Translate } from "../domain/i18n/mod.ts";
import { PRIORITIES } from "../domain/priority.ts";

export interface InboxFilterValues {
  department?: number;
  tag?: string;
  priority?: string;
  /** SLA 警告 / SLA 超過. */
  sla?: string;
}

export function InboxFilters(
  p: {
    t: Translate;
    values: InboxFilterValues;
    departments: { id: number; name: string }[];
    tags: { name: string }[];
  },
) {
  const { t, values } = p;
  return (
    <>
      <select name="department" aria-label={t("team.filter.department")}>
        <option value="">{t("team.filter.department")}</option>
        {p.departments.map((d) => (
          <option key={d.id} value={d.id} selected={values.department === d.id}>{d.name}</option>
        ))}
      </select>
      {p.tags.length > 0 && (
        <select name="tag" aria-label={t("team.filter.tag")}>
          <option value="">{t("team.filter.tag")}</option>
          {p.tags.map((g) => (
            <option key={g.name} value={g.name} selected={values.tag === g.name}>{g.name}</option>
          ))}
        </select>
      )}
      <select name="priority" aria-label={t("team.filter.priority")}>
        <option value="">{t("team.filter.priority")}</option>
        {PRIORITIES.map((x) => (
          <option key={x} value={x} selected={values.priority === x}>{t(`priority.${x}`)}</option>
        ))}
      </select>
      <select name="sla" aria-label={t("slaView.label")}>
        <option value="">{t("slaView.label")}</option>
        <option value="warning" selected={values.sla === "warning"}>{t("slaView.warning")}</option>
        <option value="breached" selected={values.sla === "breached"}>
          {t("slaView.breached")}
        </option>
      </select>
    </>
  );
}
