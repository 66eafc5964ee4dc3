/**
 * SLA policies: per department and priority, the targets of domain/sla.ts plus what to do when a
 * warning or breach is reached. Also the admin form's schemas, kept here so they are testable
 * without HTTP.
 */
import type { Priority } from "./priority.ts";
import type { SlaLevel, SlaTargets, WarningThreshold } from "./sla.ts";
import { checkbox, localized, v } from "./validation.ts";

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
export type SlaPolicyForm = {
  firstResponse: string;
  nextResponse: string;
  resolution: string;
  warningKind: string;
  warningValue: string;
  businessHoursOnly: boolean;
  /** Per level: notify targets ticked, mail ticked, raise priority, move-to department id. */
  warning: LevelForm;
  breach: LevelForm;
};

export type LevelForm = {
  notify: NotifyTarget[];
  mail: boolean;
  raisePriority: boolean;
  moveTo: string;
};

const typed = v.optional(v.fallback(v.string(), ""), "");
const ticked = v.optional(
  v.pipe(
    v.unknown(),
    v.transform((x) => {
      const list: unknown[] = Array.isArray(x) ? x : [x];
      return NOTIFY_TARGETS.filter((to) => list.includes(to));
    }),
  ),
  [],
);

/**
 * The editor's fields as posted (`warning.notify` may repeat), kept exactly as typed so a refused
 * form shows them again. It never fails: `slaPolicySchema` says what is wrong with them.
 */
export const SlaPolicyFields = v.pipe(
  v.object({
    firstResponse: typed,
    nextResponse: typed,
    resolution: typed,
    warningKind: typed,
    warningValue: typed,
    businessHoursOnly: checkbox("1"),
    "warning.notify": ticked,
    "warning.mail": checkbox("1"),
    "warning.raisePriority": checkbox("1"),
    "warning.moveTo": typed,
    "breach.notify": ticked,
    "breach.mail": checkbox("1"),
    "breach.raisePriority": checkbox("1"),
    "breach.moveTo": typed,
  }),
  v.transform((f): SlaPolicyForm => {
    const level = (l: "warning" | "breach"): LevelForm => ({
      notify: f[`${l}.notify`],
      mail: f[`${l}.mail`],
      raisePriority: f[`${l}.raisePriority`],
      moveTo: f[`${l}.moveTo`],
    });
    const { firstResponse, nextResponse, resolution, warningKind, warningValue } = f;
    return {
      firstResponse,
      nextResponse,
      resolution,
      warningKind,
      warningValue,
      businessHoursOnly: f.businessHoursOnly,
      warning: level("warning"),
      breach: level("breach"),
    };
  }),
);

const warningKind = (f: SlaPolicyForm) => f.warningKind === "minutes" ? "minutes" : "percent";
const wholeIn = (s: string, min: number, max: number) =>
  /^\d{1,6}$/.test(s.trim()) && Number(s) >= min && Number(s) <= max;

/**
 * The editor's values checked and turned into a policy: readable durations, at least one target
 * (a problem reported as `targets`), a warning threshold in range for its kind, and move-to
 * departments among `departmentIds` (reported per level).
 */
export function slaPolicySchema(departmentIds: readonly number[]) {
  const duration = (name: "firstResponse" | "nextResponse" | "resolution") =>
    v.forward(
      v.check(
        (f: SlaPolicyForm) => parseDurationMinutes(f[name]) !== undefined,
        localized("sla.error.duration", undefined, "must be a duration like 90, 2h or 1h30m"),
      ),
      [name],
    );
  const moveTo = (level: "warning" | "breach") =>
    v.forward(
      v.check(
        (f: SlaPolicyForm) =>
          f[level].moveTo === "" || departmentIds.includes(Number(f[level].moveTo)),
        localized("sla.error.department", undefined, "must name a department"),
      ),
      [level],
    );
  return v.pipe(
    v.custom<SlaPolicyForm>((x) => typeof x === "object" && x !== null),
    duration("firstResponse"),
    duration("nextResponse"),
    duration("resolution"),
    v.forward(
      v.check(
        (f: SlaPolicyForm) =>
          [f.firstResponse, f.nextResponse, f.resolution].some((s) =>
            parseDurationMinutes(s) !== null
          ),
        localized("sla.error.noTarget", undefined, "must set at least one target"),
      ),
      // Not a field of its own: the page shows it above the form.
      ["targets" as keyof SlaPolicyForm],
    ),
    v.forward(
      v.check(
        (f: SlaPolicyForm) => warningKind(f) !== "percent" || wholeIn(f.warningValue, 1, 99),
        localized("sla.error.percent", undefined, "must be a whole number from 1 to 99"),
      ),
      ["warningValue"],
    ),
    v.forward(
      v.check(
        (f: SlaPolicyForm) =>
          warningKind(f) !== "minutes" || wholeIn(f.warningValue, 1, MAX_MINUTES),
        localized("sla.error.minutes", undefined, `must be whole minutes from 1 to ${MAX_MINUTES}`),
      ),
      ["warningValue"],
    ),
    moveTo("warning"),
    moveTo("breach"),
    v.transform((f): SlaPolicyInput => {
      const actions: EscalationActions = { warning: [], breach: [] };
      for (const level of ["warning", "breach"] as const) {
        const l = f[level];
        for (const to of l.notify) actions[level].push({ kind: "notify", to, mail: l.mail });
        if (l.raisePriority) actions[level].push({ kind: "raise_priority" });
        if (l.moveTo !== "") {
          actions[level].push({ kind: "move_department", departmentId: Number(l.moveTo) });
        }
      }
      const warning: WarningThreshold = { kind: warningKind(f), value: Number(f.warningValue) };
      return {
        firstResponseMinutes: parseDurationMinutes(f.firstResponse) ?? null,
        nextResponseMinutes: parseDurationMinutes(f.nextResponse) ?? null,
        resolutionMinutes: parseDurationMinutes(f.resolution) ?? null,
        warning,
        actions,
        businessHoursOnly: f.businessHoursOnly,
      };
    }),
  );
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
