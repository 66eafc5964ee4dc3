/**
 * Every figure links to the tickets behind it: the inbox URL of a figure — the report's period as
 * a creation range and its filters, plus the figure's own (a status, an agent, a tag…). The inbox
 * reads these parameters in routes/list_filters.ts. Pure.
 */

/** What a figure's link filters on: the report's period and filters, and the figure's own. */
export interface FigureLink {
  /** The report's period (creation dates, inclusive); absent: any time. */
  created?: { from: string; to: string };
  status?: string;
  departmentId?: number;
  /** An agent's id, "me", or "none" for unassigned. */
  assignee?: number | "me" | "none";
  channel?: string;
  tag?: string;
  category?: string;
  due?: "today" | "overdue";
  /** Only tickets not resolved yet (未対応, 対応中, 保留). */
  unresolved?: boolean;
  /** Tickets replied to in these days (replies sent), by `repliedBy` if given. */
  replied?: { from: string; to: string };
  repliedBy?: number | "me";
  /** Tickets reopened at least once. */
  reopened?: boolean;
  /** A heat map cell: local weekday (1 = Monday … 7) and hour of creation within `created`. */
  heatCell?: { weekday: number; hour: number };
  /** An SLA compliance figure's tickets (within `created`). */
  slaResult?: "first_met" | "first_breached" | "resolution_met" | "resolution_breached";
}

/** The inbox URL listing a figure's tickets. */
export function inboxLink(f: FigureLink): string {
  const params = new URLSearchParams({ status: f.status ?? "all" });
  if (f.created) {
    params.set("created_from", f.created.from);
    params.set("created_to", f.created.to);
  }
  if (f.departmentId !== undefined) params.set("department", String(f.departmentId));
  if (f.assignee !== undefined) params.set("assignee", String(f.assignee));
  if (f.channel) params.set("channel", f.channel);
  if (f.tag) params.set("tag", f.tag);
  if (f.category) params.set("category", f.category);
  if (f.unresolved) params.set("unresolved", "1");
  if (f.replied) {
    params.set("replied_from", f.replied.from);
    params.set("replied_to", f.replied.to);
    if (f.repliedBy !== undefined) params.set("replied_by", String(f.repliedBy));
  }
  if (f.reopened) params.set("reopened", "1");
  if (f.slaResult) params.set("sla_result", f.slaResult);
  if (f.heatCell) {
    params.set("created_dow", String(f.heatCell.weekday));
    params.set("created_hour", String(f.heatCell.hour));
  }
  if (f.due) {
    params.set("due", f.due);
    params.set("sort", "due");
  }
  return `/?${params}`;
}
