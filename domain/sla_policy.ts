/**
 * SLA policies: per department and priority, the targets of domain/sla.ts plus what to do when a
 * warning or breach is reached. Also the admin form's parsing, kept here so it is testable
 * without HTTP.
 */
import type { Priority } from "./priority.ts";
import type { SlaLevel, SlaTargets, WarningThreshold } from "./sla.ts";

/** Who an escalation notifies: the ticket's agent, the admins, or the department's agents. */
export type NotifyTarget = "assignee" | "supervisors" | "department";
export const NOTIFY_TARGETS: readonly NotifyTarget[] = ["assignee", "supervisors", "department"];

export type EscalationAction =
  /** An in-app notification, and a mail too when `mail` is set. */
  | { kind: "notify"; to: NotifyTarget; mail: boolean }
  /** One step up: low → normal → high → urgent. */
  | { kind: "raise_priority" }
  | { kind: "move_department"; departmentId: number };

export type EscalationActions = Record<SlaLevel, EscalationAction[]>;

export interface SlaPolicy extends SlaTargets {
  id: number;
  departmentId: number;
  priority: Priority;
  actions: EscalationActions;
  /** Notifications (in app and mail) reached outside business hours wait for the next opening. */
  businessHoursOnly: boolean;
}

/** What the admin form edits: a policy without its identity. */
export type SlaPolicyInput = Omit<SlaPolicy, "id" | "departmentId" | "priority">;

const MAX_MINUTES = 525_600; // a year of business minutes is already absurd

/** Reads stored actions JSON, dropping anything malformed. */
export function parseEscalationActions(json: string | null): EscalationActions {
  let value: unknown;
  try {
    value = JSON.parse(json ?? "{}");
  } catch {
    value = {};
  }
  const record = (value ?? {}) as Record<string, unknown>;
  return { warning: actionList(record.warning), breach: actionList(record.breach) };
}

function actionList(value: unknown): EscalationAction[] {
  if (!Array.isArray(value)) return [];
  const out: EscalationAction[] = [];
  for (const a of value) {
    if (a?.kind === "notify" && NOTIFY_TARGETS.includes(a.to)) {
      out.push({ kind: "notify", to: a.to, mail: a.mail === true });
    } else if (a?.kind === "raise_priority") {
      out.push({ kind: "raise_priority" });
    } else if (a?.kind === "move_department" && Number.isSafeInteger(a.departmentId)) {
      out.push({ kind: "move_department", departmentId: a.departmentId });
    }
  }
  return out;
}

/** "90", "2h", "1h30m", "1:30" → minutes; "" → null; undefined when unreadable. */
export function parseDurationMinutes(text: string): number | null | undefined {
  const s = text.trim().toLowerCase().replace(/\s+/g, "");
  if (s === "") return null;
  let minutes: number;
  const hm = /^(\d{1,6}):([0-5]\d)$/.exec(s);
  const units = /^(?:(\d{1,6})h)?(?:(\d{1,6})m(?:in)?)?$/.exec(s);
  if (/^\d{1,6}$/.test(s)) minutes = Number(s);
  else if (hm) minutes = Number(hm[1]) * 60 + Number(hm[2]);
  else if (units && (units[1] || units[2])) {
    minutes = Number(units[1] ?? 0) * 60 + Number(units[2] ?? 0);
  } else return undefined;
  return minutes > 0 && minutes <= MAX_MINUTES ? minutes : undefined;
}

/** "1h 30m" style for showing a target in a form or table. */
export function formatDurationMinutes(minutes: number | null): string {
  if (minutes === null) return "";
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h === 0 ? `${m}m` : m === 0 ? `${h}h` : `${h}h${m}m`;
}

/** The raw form values of the policy editor, kept as typed to show again with errors. */
export interface SlaPolicyForm {
  firstResponse: string;
  nextResponse: string;
  resolution: string;
  warningKind: string;
  warningValue: string;
  businessHoursOnly: boolean;
  /** Per level: notify targets ticked, mail ticked, raise priority, move-to department id. */
  warning: LevelForm;
  breach: LevelForm;
}

export interface LevelForm {
  notify: NotifyTarget[];
  mail: boolean;
  raisePriority: boolean;
  moveTo: string;
}

/** Error keys per field, for the page to translate. */
export type PolicyFormErrors = Partial<Record<keyof SlaPolicyForm | "targets", string>>;

/** Validates the editor's values; `policy` is set only when there are no errors. */
export function validatePolicyForm(
  form: SlaPolicyForm,
  departmentIds: number[],
): { policy?: SlaPolicyInput; errors: PolicyFormErrors } {
  const errors: PolicyFormErrors = {};
  const first = parseDurationMinutes(form.firstResponse);
  const next = parseDurationMinutes(form.nextResponse);
  const resolution = parseDurationMinutes(form.resolution);
  if (first === undefined) errors.firstResponse = "duration";
  if (next === undefined) errors.nextResponse = "duration";
  if (resolution === undefined) errors.resolution = "duration";
  if (first === null && next === null && resolution === null) errors.targets = "noTarget";
  const kind = form.warningKind === "minutes" ? "minutes" : "percent";
  const value = /^\d{1,6}$/.test(form.warningValue.trim()) ? Number(form.warningValue) : NaN;
  if (kind === "percent" && !(value >= 1 && value <= 99)) errors.warningValue = "percent";
  if (kind === "minutes" && !(value >= 1 && value <= MAX_MINUTES)) errors.warningValue = "minutes";
  const actions: EscalationActions = { warning: [], breach: [] };
  for (const level of ["warning", "breach"] as const) {
    const f = form[level];
    for (const to of f.notify) actions[level].push({ kind: "notify", to, mail: f.mail });
    if (f.raisePriority) actions[level].push({ kind: "raise_priority" });
    if (f.moveTo !== "") {
      const id = Number(f.moveTo);
      if (departmentIds.includes(id)) {
        actions[level].push({ kind: "move_department", departmentId: id });
      } else errors[level] = "department";
    }
  }
  if (Object.keys(errors).length > 0) return { errors };
  const warning: WarningThreshold = { kind, value };
  return {
    errors,
    policy: {
      firstResponseMinutes: first ?? null,
      nextResponseMinutes: next ?? null,
      resolutionMinutes: resolution ?? null,
      warning,
      actions,
      businessHoursOnly: form.businessHoursOnly,
    },
  };
}

/** The editor's values for a stored policy (or the defaults for a new one). */
export function policyToForm(p: SlaPolicyInput | null): SlaPolicyForm {
  const level = (actions: EscalationAction[]): LevelForm => ({
    notify: actions.flatMap((a) => a.kind === "notify" ? [a.to] : []),
    mail: actions.some((a) => a.kind === "notify" && a.mail),
    raisePriority: actions.some((a) => a.kind === "raise_priority"),
    moveTo: String(actions.find((a) => a.kind === "move_department")?.departmentId ?? ""),
  });
  if (!p) {
    return {
      firstResponse: "",
      nextResponse: "",
      resolution: "",
      warningKind: "percent",
      warningValue: "80",
      businessHoursOnly: true,
      warning: { notify: ["assignee"], mail: false, raisePriority: false, moveTo: "" },
      breach: { notify: ["assignee", "supervisors"], mail: true, raisePriority: false, moveTo: "" },
    };
  }
  return {
    firstResponse: formatDurationMinutes(p.firstResponseMinutes),
    nextResponse: formatDurationMinutes(p.nextResponseMinutes),
    resolution: formatDurationMinutes(p.resolutionMinutes),
    warningKind: p.warning.kind,
    warningValue: String(p.warning.value),
    businessHoursOnly: p.businessHoursOnly,
    warning: level(p.actions.warning),
    breach: level(p.actions.breach),
  };
}
